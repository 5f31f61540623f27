-- How many TOTP time steps a device's clock runs ahead of ours (negative: behind), as ResyncMFADevice measured it.
-- Codes are looked for around our current step plus this offset; 0 for every device until it is resynchronized.
ALTER TABLE mfa_devices ADD COLUMN step_offset BIGINT NOT NULL DEFAULT 0;
