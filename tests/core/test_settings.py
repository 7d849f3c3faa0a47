import os
import subprocess
import sys

PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7$Kq2!vLp9@Zr4#Tn8%Wb1^Yc6&Hd3*Jf5(Gm0)Sa-Ue+Io=Pw",
    "ALLOWED_HOSTS": "encuentros.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "sqlite:////tmp/encuentros-deploy-check.sqlite3",
}


def _run(args, env):
    skip = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip}
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "encuentros", *args], env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_environment():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_without_debug():
    env = dict(PROD_ENV)
    env.pop("SECRET_KEY")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_the_engine():
    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.DATABASES['default']['ENGINE'])")
    env = {k: v for k, v in os.environ.items()}
    env.update(DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
               DJANGO_SETTINGS_MODULE="encuentros.settings")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "django.db.backends.postgresql", out.stderr
