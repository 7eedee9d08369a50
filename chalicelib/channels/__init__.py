"""Channel adapters: they read what gateways and platforms deliver (SMS gateways,
AWS End User Messaging, Twitter/X) and send what the outbox holds."""
