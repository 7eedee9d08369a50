"""Saber: composition only. Routes, schedules and error handling live in chalicelib."""

from chalice import Chalice

from chalicelib.api import calendar, channels, errors, open311, public, staff
from chalicelib.jobs import closure, escalation, inbound_sms, outbox

app = Chalice(app_name="saber")
app.register_middleware(errors.uniform_errors, "http")
app.register_blueprint(public.bp)
app.register_blueprint(staff.bp)
app.register_blueprint(calendar.bp)
app.register_blueprint(open311.bp)
app.register_blueprint(channels.bp)
app.register_blueprint(escalation.bp)
app.register_blueprint(closure.bp)
app.register_blueprint(outbox.bp)
app.register_blueprint(inbound_sms.bp)
