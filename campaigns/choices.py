"""Choice lists of information campaigns, each defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Young people")
    OLDER = "older", _("Older people")
    DISABILITIES = "disabilities", _("Persons with disabilities")
    ALL = "all", _("All residents")


class Channel(models.TextChoices):
    MEETINGS = "meetings", _("Community meetings")
    DOOR_TO_DOOR = "door_to_door", _("Door to door")
    RADIO_TV = "radio_tv", _("Radio and TV")
    SOCIAL_MEDIA = "social_media", _("Social media")
    MESSENGERS = "messengers", _("Messengers")
    PRINTED = "printed", _("Printed materials")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class MaterialKind(models.TextChoices):
    POSTER = "poster", _("Poster")
    LEAFLET = "leaflet", _("Leaflet")
    VIDEO = "video", _("Video")
    RADIO_SPOT = "radio_spot", _("Radio spot")
    SOCIAL_POST = "social_post", _("Social media post")
    PRESENTATION = "presentation", _("Presentation")


class EventFormat(models.TextChoices):
    VILLAGE_MEETING = "village_meeting", _("Village meeting")
    RADIO = "radio", _("Radio or TV programme")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door visits")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")
