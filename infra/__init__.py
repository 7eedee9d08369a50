"""Infrastructure as code: an AWS CDK v2 app that embeds the Chalice app.

`stages` and `access` are plain Python (no CDK import), so the default test suite
can check them against the code without the infrastructure dependencies.
"""
