import json

from tests.integration.conftest import auth


def test_a_filed_complaint_can_be_routed_and_followed_up(client):
    filed = client.http.post(
        "/complaints",
        headers={"Content-Type": "application/json"},
        body=json.dumps(
            {
                "name": "Sumiyati",
                "phone": "081234567890",
                "title": "Jalan rusak",
                "description": "Jalan rusak di pekon Way Gelang",
            }
        ),
    )
    assert filed.status_code == 201, filed.body
    tid = filed.json_body["tracking_id"]
    routed = client.http.post(
        f"/staff/complaints/{tid}/route",
        headers=auth("admin_pusat") | {"Content-Type": "application/json"},
        body=json.dumps({"agency": "PUPR"}),
    )
    assert routed.status_code == 200, routed.body
    fu = client.http.post(
        f"/staff/complaints/{tid}/follow-ups",
        headers=auth("agency", agency="PUPR") | {"Content-Type": "application/json"},
        body=json.dumps({"text": "Sudah ditinjau"}),
    )
    assert fu.status_code == 200, fu.body
    assert fu.json_body["status"] == "followed_up"
