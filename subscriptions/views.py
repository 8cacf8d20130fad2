"""The public pages of subscribing: the form, confirming and unsubscribing.

Links that arrive by e-mail only show a button on GET and act on POST: mail scanners that
open every link must neither confirm a subscription nobody wanted nor end one.
"""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from subscriptions.forms import SubscribeForm
from subscriptions.mail import scope_name
from subscriptions.models import (
    Subscription,
    key_of_unsubscribe_token,
    subscription_for_confirmation,
)
from subscriptions.subscribing import ask_to_subscribe, may_request


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    locale = Locale.get_active()
    if request.method != "POST":
        form = SubscribeForm.for_request(request, locale)
        return render(request, "subscriptions/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST, locale=locale)
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", {"form": form})
    email = form.cleaned_data["email"]
    if not may_request(request, email):
        form.add_error(
            None,
            _(
                "Too many subscription requests have come from here or for this address. "
                "Please try again tomorrow."
            ),
        )
        return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
    municipality = form.chosen_municipality()
    sent = ask_to_subscribe(
        email,
        municipality,
        form.cleaned_data["language"],
        request.build_absolute_uri("/").rstrip("/"),
    )
    if not sent:
        form.add_error(
            None, _("We could not send the message just now. Please try again in a while.")
        )
        return render(request, "subscriptions/subscribe.html", {"form": form}, status=503)
    place = form.municipalities.get(form.cleaned_data.get("municipality") or "")
    scope = place.title if place else _("all pilot municipalities")
    return render(request, "subscriptions/request_sent.html", {"email": email, "scope": scope})


def _invalid_link(request):
    return render(request, "subscriptions/invalid_link.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    subscription = subscription_for_confirmation(token)
    if subscription is None:
        return _invalid_link(request)
    if subscription.confirmation_expired():
        return render(request, "subscriptions/expired_link.html", status=410)
    if request.method != "POST":
        return render(request, "subscriptions/confirm.html", _described(subscription))
    subscription.confirm()
    return render(request, "subscriptions/confirmed.html", _described(subscription))


def _described(subscription):
    """What a page says of a subscription: its place in the page's language."""
    scope = scope_name(subscription, get_language()) if subscription else None
    return {"subscription": subscription, "scope": scope}


@never_cache
@csrf_exempt  # RFC 8058 one-click unsubscribing posts without a CSRF token; the signed
# token in the address is the proof, and nobody else can guess it
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    key = key_of_unsubscribe_token(token)
    if key is None:
        return _invalid_link(request)
    subscription = Subscription.objects.filter(key=key).first()
    if request.method != "POST":
        context = {**_described(subscription), "token": token}
        return render(request, "subscriptions/unsubscribe.html", context)
    if subscription is not None:
        subscription.delete()  # the address is not kept, not even "anonymised"
    return render(request, "subscriptions/unsubscribed.html")
