from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """Citizens' e-mail subscriptions to hearing notices: a domain of its own on top of the
    municipalities, because it keeps personal data (addresses) that nothing else should hold."""

    name = "subscriptions"
    verbose_name = _("Hearing notice subscriptions")

    def ready(self):
        # deferred: the receiver imports the models, which are not loaded before ready()
        from subscriptions import notices

        notices.connect()
