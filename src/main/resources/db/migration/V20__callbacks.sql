-- A submission's callback URL (the option "callback", dev.bulklinks.webhook.Callbacks) is told when its job ends,
-- through the same outbox as webhooks: a delivery names either a registered webhook or a URL of its own, and is
-- signed with the webhook's secret or, for a callback, with the project's callback secret (made at first use).
ALTER TABLE webhook_delivery
    ALTER COLUMN webhook DROP NOT NULL,
    ADD COLUMN url text CHECK (length(url) <= 2048),
    ADD COLUMN project text REFERENCES project ON DELETE CASCADE,
    ADD CONSTRAINT webhook_delivery_one_target CHECK ((webhook IS NULL) <> (url IS NULL)),
    ADD CONSTRAINT webhook_delivery_callback_project CHECK (url IS NULL OR project IS NOT NULL);
CREATE INDEX webhook_delivery_callbacks ON webhook_delivery (project, seq DESC) WHERE webhook IS NULL;
ALTER TABLE project ADD COLUMN callback_secret text;
