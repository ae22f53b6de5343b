-- Web sessions (docs/web-sessions.md): a sign-in started by the /sign-in page is bound to the browser that started
-- it. The browser holds a random cs_pending cookie; the sign-in row holds only its SHA-256 hash. "Send another
-- request" adds attempts under the same binding, numbered so that the newest is unambiguous.

ALTER TABLE sign_ins ADD COLUMN browser_binding bytea;     -- SHA-256 of the cs_pending cookie; only that browser collects the session
ALTER TABLE sign_ins ADD COLUMN browser_attempt integer;   -- 1 for the password attempt, +1 for each "Send another request"

CREATE UNIQUE INDEX sign_ins_browser_binding ON sign_ins (browser_binding, browser_attempt)
    WHERE browser_binding IS NOT NULL;
