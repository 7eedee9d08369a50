"""Saber: composition only. Routes, schedules and error handling live in chalicelib."""

from chalice import Chalice

from chalicelib.api import errors, public, staff
from chalicelib.jobs import escalation, outbox

app = Chalice(app_name="saber")
app.register_middleware(errors.uniform_errors, "http")
app.register_blueprint(public.bp)
app.register_blueprint(staff.bp)
app.register_blueprint(escalation.bp)
app.register_blueprint(outbox.bp)
