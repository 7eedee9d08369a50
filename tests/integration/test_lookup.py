"""What the public, and the reporter with the access code, can see."""

from tests.integration.conftest import file

PERSONAL = ("Sumiyati", "3506042602660001", "6281234567890", "0812-3456-7890", "sumi@example.id")


def test_the_tracking_id_alone_shows_status_deadlines_and_no_personal_data(client, clock):
    answer = file(client, nik="3506042602660001", email="sumi@example.id")

    public = client.http.get(f"/complaints/{answer['tracking_id']}")

    assert public.status_code == 200
    assert public.json_body["status"] == "received"
    assert public.json_body["escalation"] == "none"
    assert public.json_body["deadlines"]["follow_up_due"] == "2025-05-23"
    assert public.json_body["deadlines"]["takeover_due"] == "2025-07-11"
    assert not any(value in public.body.decode() for value in PERSONAL)


def test_a_tracking_id_typed_in_lowercase_without_the_dash_is_found(client):
    answer = file(client)
    typed = answer["tracking_id"].replace("-", "").lower()

    assert client.http.get(f"/complaints/{typed}").status_code == 200


def test_a_mistyped_tracking_id_is_not_found(client):
    answer = file(client)
    tid = answer["tracking_id"]
    typo = tid[:-2] + ("1" if tid[-2] != "1" else "2") + tid[-1]

    assert client.http.get(f"/complaints/{typo}").status_code == 404


def test_a_confidential_complaint_is_absent_for_the_public(client):
    answer = file(client, confidential=True)

    public = client.http.get(f"/complaints/{answer['tracking_id']}")

    assert public.status_code == 404
    assert public.json_body["error"]["code"] == "not_found"


def test_the_access_code_unlocks_the_reporters_full_view_of_a_confidential_complaint(client):
    answer = file(client, confidential=True, email="sumi@example.id")

    mine = client.http.get(
        f"/complaints/{answer['tracking_id']}", headers={"X-Access-Code": answer["access_code"]}
    )

    assert mine.status_code == 200
    assert mine.json_body["reporter"]["name"] == "Sumiyati"
    assert mine.json_body["reporter"]["email"] == "sumi@example.id"
    assert [h["type"] for h in mine.json_body["history"]] == ["received"]


def test_a_wrong_access_code_reveals_nothing(client):
    answer = file(client, confidential=True)

    wrong = client.http.get(
        f"/complaints/{answer['tracking_id']}", headers={"X-Access-Code": "AAAAA-AAAAA"}
    )

    assert wrong.status_code == 404


def test_a_region_lists_the_agencies_a_complaint_can_go_to(client):
    response = client.http.get("/regions/tanggamus/agencies")

    codes = {a["code"] for a in response.json_body["agencies"]}
    assert {"PUPR", "DINKES", "DISDUKCAPIL", "RSUD", "DLH", "DISHUB", "DINSOS"} <= codes
    assert len(codes) >= 15
    assert all(a["name"] for a in response.json_body["agencies"])


def test_an_unknown_region_has_no_agencies(client):
    response = client.http.get("/regions/atlantis/agencies")

    assert response.status_code == 404
