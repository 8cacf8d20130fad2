"""The blocks of a campaign page's body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import DocumentLinkBlock, QuoteBlock, SanitisedRichTextBlock


class CampaignImageBlock(blocks.StructBlock):
    """An image that always says what it shows, for readers who cannot see it."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Description for people who cannot see the image"), max_length=250
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "campaigns/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                {"alt_text": ValidationError(_("Describe the image for people who cannot see it."))}
            )
        return value


class ResidentQuoteBlock(QuoteBlock):
    class Meta:
        icon = "openquote"
        label = _("Quote from a resident")
        template = "includes/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    hearing = blocks.PageChooserBlock(label=_("Hearing"), page_type=["municipalities.HearingPage"])

    class Meta:
        icon = "link"
        label = _("Call to action: a hearing")
        template = "campaigns/blocks/call_to_action.html"


class CampaignBodyBlock(blocks.StreamBlock):
    paragraph = SanitisedRichTextBlock(
        label=_("Text"), features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    image = CampaignImageBlock()
    document = DocumentLinkBlock()
    video = EmbedBlock(label=_("Video"), icon="media")
    quote = ResidentQuoteBlock()
    call_to_action = CallToActionBlock()
