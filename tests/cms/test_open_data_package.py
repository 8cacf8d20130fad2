"""The open-data archive as a data user's tools see it: Frictionless validates the whole
package (the ZIP as downloaded) and every file against its typed schema, including the keys
between files; a schema that lies about a column is caught."""

import copy
import io
import json
import stat
import zipfile

import pytest
from frictionless import Package, Resource, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(client, tmp_path):
    response = client.get("/ky/open-data/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    path = tmp_path / "open-data.zip"
    path.write_bytes(body)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(io.BytesIO(body)) as opened:
        opened.extractall(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    return path, folder, descriptor


def errors(report):
    return [(task.name, error.type, error.note) for task in report.tasks for error in task.errors]


def test_the_downloaded_archive_is_a_valid_tabular_data_package(archive):
    path, _folder, descriptor = archive
    report = validate(str(path))
    assert report.valid, errors(report)
    # every table was read and checked, not skipped
    assert len(report.tasks) == len(descriptor["resources"]) >= 9
    assert all(task.stats["rows"] > 0 for task in report.tasks if task.name != "budget-lines")


def test_every_file_is_valid_on_its_own(archive):
    _path, folder, descriptor = archive
    for resource in descriptor["resources"]:
        alone = copy.deepcopy(resource)
        alone["schema"].pop("foreignKeys", None)  # keys into other files: the package's check
        report = Resource(alone, basepath=str(folder)).validate()
        assert report.valid, (resource["name"], errors(report))


def test_entries_are_compressed_and_readable_by_anyone(archive):
    path, _folder, _descriptor = archive
    with zipfile.ZipFile(path) as opened:
        for entry in opened.infolist():
            assert entry.compress_type == zipfile.ZIP_DEFLATED, entry.filename
            mode = entry.external_attr >> 16
            assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o644, entry.filename


def test_schemas_are_typed_with_codes_keys_and_three_languages(archive):
    _path, _folder, descriptor = archive
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert all(r["profile"] == "tabular-data-resource" for r in resources.values())
    fields = {
        name: {field["name"]: field for field in resource["schema"]["fields"]}
        for name, resource in resources.items()
    }
    # counts are integers; a count hidden to protect small numbers reads "x", declared missing
    for table, column in [("participation", "women"), ("indicators", "men")]:
        assert fields[table][column]["type"] == "integer"
        assert "x" in resources[table]["schema"]["missingValues"]
    assert fields["participation"]["date"]["type"] == "date"
    assert fields["budget-lines"]["gender_responsive"]["type"] == "boolean"
    assert set(fields["hearings"]["topic"]["constraints"]["enum"]) >= {"budget", "tariffs"}
    assert fields["hearings"]["locale"]["constraints"]["enum"] == ["ky", "ru", "en"]
    assert resources["hearings"]["schema"]["primaryKey"] == ["id"]
    assert {
        "fields": ["budget_id"],
        "reference": {"resource": "budgets", "fields": ["id"]},
    } in resources["budget-lines"]["schema"]["foreignKeys"]
    # titles and descriptions in English (the standard's key) and in every site language
    package_titles = descriptor["titles"]
    assert set(package_titles) == {"ky", "ru", "en"} and package_titles["en"] == descriptor["title"]
    assert package_titles["ky"] != package_titles["en"] != package_titles["ru"]
    venue = fields["hearings"]["venue"]
    assert set(venue["titles"]) == {"ky", "ru", "en"} and venue["title"] == venue["titles"]["en"]
    assert len(set(venue["titles"].values())) == 3
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"][0]["path"].startswith("http")


def test_a_schema_that_lies_about_a_column_fails(archive):
    _path, folder, descriptor = archive
    lying = copy.deepcopy(descriptor)
    for resource in lying["resources"]:
        if resource["name"] == "hearings":
            for field in resource["schema"]["fields"]:
                if field["name"] == "venue":
                    field["type"] = "integer"
    report = Package(lying, basepath=str(folder)).validate()
    assert not report.valid
    assert {(name, kind) for name, kind, _note in errors(report)} == {("hearings", "type-error")}


def test_a_row_pointing_at_a_missing_municipality_fails(archive):
    _path, folder, descriptor = archive
    hearings = folder / "hearings.csv"
    lines = hearings.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b",ak-korgon,", b",nowhere,", 1)
    hearings.write_bytes(b"\r\n".join(lines))
    unchecked = copy.deepcopy(descriptor)
    for resource in unchecked["resources"]:  # the bytes changed on purpose
        resource.pop("hash", None)
        resource.pop("bytes", None)
    report = Package(unchecked, basepath=str(folder)).validate()
    assert not report.valid
    assert ("hearings", "foreign-key") in {(name, kind) for name, kind, _note in errors(report)}
