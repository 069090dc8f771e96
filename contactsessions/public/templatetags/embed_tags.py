"""``{% embed_snippet ward=ward %}`` / ``{% embed_snippet borough=borough %}``: the "put our
sessions on your website" box of the share pages, with the ``<iframe>`` HTML to copy."""

from __future__ import annotations

from django import template
from django.urls import reverse

from contactsessions.public import embedding
from wards.models import Borough, Ward

register = template.Library()


@register.inclusion_tag("public/embed/_snippet.html")
def embed_snippet(*, ward: Ward | None = None, borough: Borough | None = None) -> dict:
    if ward is not None:
        return {
            "place": ward.name,
            "prefix": f"embed-{ward.code}",
            "snippet": embedding.ward_snippet(ward),
            "preview": reverse("public:ward-embed", args=[ward.code]),
        }
    if borough is None:
        raise template.TemplateSyntaxError("embed_snippet needs a ward or a borough")
    return {
        "place": borough.name,
        "prefix": f"embed-{borough.code}",
        "snippet": embedding.borough_snippet(borough),
        "preview": reverse("public:borough-embed", args=[borough.code]),
    }
