"""One address of every public page type of the demo content, in a language: what the
phone-layout, accessibility and HTML-validity tests go through."""

HEARING = "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/"
CAMPAIGN = "/{lang}/campaigns/demo-ngo/budget-is-your-voice/"
MUNICIPALITY = "/{lang}/jalal-abad/ak-korgon/"
HOME = "/{lang}/"
PAGE_TYPES = [
    HOME,
    "/{lang}/jalal-abad/",
    MUNICIPALITY,
    HEARING,
    HEARING + "print/",
    "/{lang}/hearings/",
    "/{lang}/jalal-abad/ak-korgon/budget-2026/",
    "/{lang}/jalal-abad/ak-korgon/development-plan/",
    "/{lang}/campaigns/",
    "/{lang}/campaigns/demo-ngo/",
    CAMPAIGN,
    CAMPAIGN + "report/",
    "/{lang}/campaigns/materials/",
    "/{lang}/indicators/",
    "/{lang}/indicators/records/",
    "/{lang}/coverage/",
    "/{lang}/open-data/",
    "/{lang}/open-data/api/",
    "/{lang}/about/",
    "/{lang}/search/?q=бюджет",
    "/{lang}/subscribe/?municipality=ak-korgon",
]
