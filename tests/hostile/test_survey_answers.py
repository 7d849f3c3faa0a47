"""The survey answers import (evaluation/imports.py): what it stores, and hostile files.

Decision: the file follows our own template (code, moment, question keys), so a column we do
not know is refused: a misspelt question key would otherwise lose the answers silently.
"""

import pytest
from django.core.management import CommandError, call_command

from encuentros.core.sectors import Sector
from encuentros.encounters import services as enc
from encuentros.evaluation import imports, services
from encuentros.evaluation.models import Answer, Response

LIKERT = ["trust_government", "trust_civil_society", "cross_sector_understanding",
          "usefulness", "intention_collaborate"]
HEADER = ["Código", "Momento"] + LIKERT + ["expectations", "takeaway"]


@pytest.fixture
def people(encounter):
    return [enc.register(encounter, enc.RegistrationData(
        full_name=f"Persona {i}", email=f"p{i}@example.org",
        sector=[Sector.GOVERNMENT, Sector.CIVIL_SOCIETY][i % 2])) for i in range(4)]


@pytest.fixture
def surveys(encounter):
    return services.create_standard_surveys(encounter)


def row(person, moment="pre", values=(4, 3, 4, 5, 4), expectations="", takeaway=""):
    return [person.badge_token, moment, *values, expectations, takeaway]


@pytest.mark.django_db
def test_import_stores_the_web_pseudonym_and_pairs_pre_and_post(corpus, people, surveys,
                                                                 encounter):
    pre, post = surveys
    raw = corpus.xlsx([HEADER, row(people[0], expectations="Conocer gente"),
                       row(people[0], "después", (5, 5, 5, 5, 5), takeaway="Colaborar"),
                       row(people[1], "antes", ("1", "2", "3", "4", "5.0"))])
    result = imports.import_answers(encounter, raw, "encuesta.xlsx")
    assert (result.rows, result.pre, result.post) == (3, 2, 1)
    key = services.respondent_key(people[0])
    r_pre, r_post = Response.objects.get(survey=pre, respondent=key), \
        Response.objects.get(survey=post, respondent=key)
    assert r_pre.sector == Sector.GOVERNMENT
    assert r_pre.answers.get(question__key="expectations").text == "Conocer gente"
    assert r_post.answers.get(question__key="usefulness").value == 5
    assert not Response.objects.filter(respondent=people[0].badge_token).exists()
    # the web survey of the same person finds these answers
    assert services.existing_response(pre, people[0]) == r_pre
    assert services.results(encounter).responses == {"pre": 2, "post": 1}


def _cases(c, people):
    p0, p1, p2 = people[0], people[1], people[2]
    return {
        "mixed_encodings": (c.mixed_encodings([",".join(HEADER), ",".join(map(str, row(p0))),
                                               ",".join(map(str, row(p1, expectations="Años")))],
                                              latin1_line=3),
                            "e.csv", (3, "", "mixes encodings")),
        "mojibake": (c.csv([HEADER, row(p0), row(p1, expectations=c.mojibake("Participación"))]),
                     "e.csv", (3, "expectations", "looks garbled")),
        "binary_garbage": (c.garbage(), "e.csv", (None, "", "binary data")),
        "empty": (b"", "e.csv", (1, "", "empty")),
        "header_only": (c.csv([HEADER]), "e.csv", (2, "", "no rows of data")),
        "missing_code_column": (c.csv([HEADER[1:], row(p0)[1:]]), "e.csv",
                                (1, "code", "Missing required column")),
        "missing_likert_column": (c.csv([HEADER[:3] + HEADER[4:], row(p0)[:3] + row(p0)[4:]]),
                                  "e.csv", (1, "trust_civil_society", "Missing column")),
        "unknown_column": (c.csv([HEADER + ["trust_goverment"], row(p0) + ["4"]]), "e.csv",
                           (1, "trust_goverment", "Unknown column")),
        "duplicate_column": (c.csv([HEADER + ["usefulness"], row(p0) + ["4"]]), "e.csv",
                             (1, "usefulness", "appears twice (also column 6)")),
        "duplicate_respondent": (c.csv([HEADER, row(p0), row(p1), row(p0, values=(1,) * 5)]),
                                 "e.csv", (4, "Código", "Repeated: row 2")),
        "bad_value_row_3": (c.csv([HEADER, row(p0), row(p1, values=(4, 3, 7, 5, 4)), row(p2)]),
                            "e.csv", (3, "cross_sector_understanding", "from 1 to 5")),
        "bad_value_row_3_xlsx": (c.xlsx([HEADER, row(p0), row(p1, values=(4, 3, 4.5, 5, 4))]),
                                 "e.xlsx", (3, "cross_sector_understanding", "from 1 to 5")),
        "unknown_code": (c.csv([HEADER, row(p0), ["NO-EXISTE", "pre", 1, 2, 3, 4, 5, "", ""]]),
                         "e.csv", (3, "Código", "No registration")),
        "bad_moment": (c.csv([HEADER, row(p0, "durante")]), "e.csv",
                       (2, "Momento", "Write pre or post")),
        "post_question_in_pre_row": (c.csv([HEADER, row(p0, takeaway="Algo")]), "e.csv",
                                     (2, "takeaway", "not in the pre survey")),
        "formula_in_likert": (c.csv([HEADER, row(p0, values=("=1+4", 3, 4, 5, 4))]), "e.csv",
                              (2, "trust_government", "from 1 to 5")),
        "open_answer_too_long": (c.csv([HEADER, row(p0, expectations="x" * 4001)]), "e.csv",
                                 (2, "expectations", "longer than 4000")),
        "cell_over_csv_field_limit": (c.csv([HEADER, row(p0, expectations="x" * 200_000)]),
                                      "e.csv", (2, "", "cannot be read as CSV")),
        "xlsx_not_a_zip": (c.csv([HEADER, row(p0)]), "e.xlsx", (0, "", "not an XLSX workbook")),
        "zip_not_xlsx": (c.zip_not_xlsx(), "e.xlsx", (0, "", "ZIP archive but not an XLSX")),
        "broken_xlsx": (c.broken_xlsx(), "e.xlsx", (0, "", "not a readable XLSX")),
    }


CASES = ["mixed_encodings", "mojibake", "binary_garbage", "empty", "header_only",
         "missing_code_column", "missing_likert_column", "unknown_column", "duplicate_column",
         "duplicate_respondent", "bad_value_row_3", "bad_value_row_3_xlsx", "unknown_code",
         "bad_moment", "post_question_in_pre_row", "formula_in_likert", "open_answer_too_long",
         "cell_over_csv_field_limit", "xlsx_not_a_zip", "zip_not_xlsx", "broken_xlsx"]


def assert_refused(encounter, raw, filename, expected, counts):
    before = counts()
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_answers(encounter, raw, filename)
    row_, column, fragment = expected
    assert [e for e in exc.value.errors
            if fragment in e[2] and (row_ is None or e[0] == row_) and e[1] == column], \
        exc.value.errors
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_refused_with_location_and_nothing_written(case, corpus, counts, people, surveys,
                                                   encounter):
    raw, filename, expected = _cases(corpus, people)[case]
    assert_refused(encounter, raw, filename, expected, counts)


@pytest.mark.django_db
def test_huge_file_and_zip_bomb(corpus, counts, people, surveys, encounter, small_cap):
    raw = corpus.csv([HEADER] + [row(people[0], expectations="x" * 100)] * 200)
    assert_refused(encounter, raw, "e.csv", (0, "", "larger than"), counts)
    assert_refused(encounter, corpus.zip_bomb(20 * small_cap), "e.xlsx",
                   (0, "", "expands to more than"), counts)


@pytest.mark.django_db
def test_already_answered_on_the_web_is_not_overwritten(corpus, counts, people, surveys,
                                                        encounter):
    pre, _post = surveys
    pre.is_open = True
    pre.save()
    services.submit(pre, people[1], dict(zip(LIKERT, (2, 2, 2, 2, 2), strict=True)))
    assert_refused(encounter, corpus.csv([HEADER, row(people[0]), row(people[1])]), "e.csv",
                   (3, "Código", "already answered the pre survey"), counts)
    assert set(Answer.objects.values_list("value", flat=True)) == {2}


@pytest.mark.django_db
def test_cancelled_registration_and_no_surveys(corpus, counts, people, encounter):
    raw = corpus.csv([HEADER, row(people[0])])
    assert_refused(encounter, raw, "e.csv", (0, "", "no surveys yet"), counts)
    services.create_standard_surveys(encounter)
    enc.cancel(people[0])
    assert_refused(encounter, raw, "e.csv", (2, "Código", "not active"), counts)


@pytest.mark.django_db
def test_formulas_in_open_answers_are_stored_as_text(corpus, people, surveys, encounter):
    rows = [HEADER] + [row(p, expectations=f) for p, f in zip(people, corpus.formulas,
                                                               strict=False)]
    imports.import_answers(encounter, corpus.csv(rows), "e.csv")
    stored = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert stored == set(corpus.formulas[:len(people)])


@pytest.mark.django_db
def test_command(corpus, counts, people, surveys, encounter, tmp_path, capsys):
    path = tmp_path / "encuesta.csv"
    path.write_bytes(corpus.csv([HEADER, row(people[0]), row(people[1], values=(0,) * 5)]))
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported: 5 problem"):
        call_command("import_survey_answers", str(encounter.number), str(path))
    assert "row 3, column trust_government: Write a whole number" in capsys.readouterr().err
    assert counts() == before
    path.write_bytes(corpus.csv([HEADER, row(people[0]), row(people[1], "post")]))
    call_command("import_survey_answers", str(encounter.number), str(path))
    assert "Imported 2 responses (1 before, 1 after)" in capsys.readouterr().out
