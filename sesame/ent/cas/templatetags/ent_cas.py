"""``{% cas_portal_href establishment %}``: the e-sidoc tile's link (seed E).

When the establishment's portal address is a registered, enabled CAS service open to that
establishment, the tile goes through ``/ent/cas/login?service=…``, so a person already signed in
to the ENT reaches the portal signed in, without a second form. Otherwise it is the plain address.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ...models import Establishment
from ..selectors import service_for_establishment

register = template.Library()


@register.simple_tag
def cas_portal_href(establishment: Establishment | None) -> str:
    url = establishment.esidoc_url if establishment else ""
    if not url:
        return ""
    if service_for_establishment(url=url, establishment=establishment) is None:
        return url
    return f"{reverse('ent:cas:login')}?{urlencode({'service': url})}"
