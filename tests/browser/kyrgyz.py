"""Browser steps read in Kyrgyz: a screenshot of each, and the admin texts of each screen
that are not Kyrgyz (content such as place names taken out)."""

import json
import urllib.request

from tests.admin_chrome import chrome, not_kyrgyz


def place_names(live_site):
    """Names of oblasts and municipalities (content, whatever their words), from the API."""
    names = set()
    for kind in ("municipalities.OblastPage", "municipalities.MunicipalityPage"):
        url = f"{live_site}/api/v2/pages/?type={kind}&locale=ky&limit=100"
        with urllib.request.urlopen(url) as answer:
            names |= {item["title"] for item in json.load(answer)["items"]}
    return names


def kyrgyz_screen(page, step, shots, content, found):
    """Keep a screenshot of the step and note the admin texts that are not Kyrgyz."""
    page.screenshot(path=str(shots / f"{len(list(shots.iterdir())) + 1:02d}-{step}.png"))
    assert page.locator("html").get_attribute("lang") == "ky", step
    foreign = []
    for text in chrome(page.content()):
        cleaned = text
        for name in sorted(content, key=len, reverse=True):
            cleaned = cleaned.replace(name, " ")
        if not_kyrgyz(text, cleaned):
            foreign.append(text)
    if foreign:
        found[step] = foreign
