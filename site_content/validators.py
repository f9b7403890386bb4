from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# Links shown to buyers must open in a browser: no javascript:, ftp: or mailto: here.
http_url = URLValidator(schemes=["http", "https"], message=_("Enter a link that starts with http:// or https://."))
