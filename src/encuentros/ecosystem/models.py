from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from encuentros.core.sectors import Sector
from encuentros.core.text import normalize


class Topic(models.Model):
    """Shared taxonomy: movilidad, medio ambiente, salud, transparencia..."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    name_key = models.CharField(max_length=120, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize(self.name)
        if not self.slug:
            self.slug = slugify(self.name_key)[:140] or "topic"
        super().save(*args, **kwargs)


class Organization(models.Model):
    """An agency, NGO, university or company. Organizations are public entities."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Government agency")
        NGO = "ngo", _("Civil society organization")
        UNIVERSITY = "university", _("University or research center")
        COMPANY = "company", _("Company or startup")
        COLLECTIVE = "collective", _("Collective or network")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    name_key = models.CharField(max_length=255, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    borough = models.CharField(_("borough / municipality"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True,
                                    related_name="organizations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [models.Index(fields=["sector"])]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize(self.name)
        if not self.slug:
            self.slug = _unique_slug(Organization, self.name_key)
        super().save(*args, **kwargs)


class Person(models.Model):
    """Someone in the ecosystem (agente de cambio). Private by default.

    Only people with ``public_profile`` consent may be named in public pages, the public API
    or open-data exports. Email and phone are never public.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person", verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people",
        verbose_name=_("organization"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics of interest"), blank=True,
                                    related_name="people")
    public_profile = models.BooleanField(
        _("public profile"), default=False,
        help_text=_("The person consented to show their name, organization and topics publicly."),
    )
    bio = models.TextField(_("short bio"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        else:
            self.email = None
        super().save(*args, **kwargs)


def _unique_slug(model, text: str) -> str:
    base = slugify(text)[:240] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
