-- Lighter sign-in checks (issue 6, session 7).

-- Every check writes three audit events, and the sealer then rewrites each one. Its chain position is indexed, so
-- that update cannot be HOT: each index on audit_events is paid twice per event. These two served no query. The
-- activity filter matches lower(actor) or lower(target), and a type or a prefix of it (left(type, n)); neither
-- index can answer that.
DROP INDEX audit_events_target;
DROP INDEX audit_events_type;

-- A node keeps the settings and the enabled Conditional Access policies between checks for as long as this
-- version is the one it reads with the user's lock (ChallengeStore.lockUser, AccessConfigCache). Triggers give
-- the version a new random value at every change to either table, whoever makes it: the admin API, a bulk update
-- or plain SQL. Every node reads the version at every check, so a change applies to the next check on every node.
-- The value is random rather than a counter, so a restored backup cannot bring back a version that a node has
-- already cached with other contents.
CREATE TABLE access_config (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   uuid    NOT NULL
);
INSERT INTO access_config (singleton, version) VALUES (true, gen_random_uuid());

CREATE FUNCTION access_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE access_config SET version = gen_random_uuid();
    RETURN NULL;
END
$$;

CREATE TRIGGER settings_change_access_config
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION access_config_changed();
CREATE TRIGGER policies_change_access_config
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON conditional_access_policies
    FOR EACH STATEMENT EXECUTE FUNCTION access_config_changed();
