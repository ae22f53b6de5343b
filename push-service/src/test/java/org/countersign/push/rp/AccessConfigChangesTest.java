package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node keeps the settings and Conditional Access policies between checks (AccessConfigCache), yet a change to
 * them applies to the very next check, on every node, however the change was made: through the admin API on
 * another node, or in plain SQL that no code of the service sees.
 */
class AccessConfigChangesTest {
    @RegisterExtension
    static final ServiceFixture nodeA = ServiceFixture.withoutSecurityDefaults().withSecondNode().withAdminSignedIn();
    static final ServiceFixture nodeB = nodeA.secondNode();
    static final RpCalls rpOnA = new RpCalls(nodeA::api);
    static final RpCalls rpOnB = new RpCalls(nodeB::api);
    static RpCalls.Client payroll;
    static TestDevice phone;

    @BeforeAll
    static void aUserWithADeviceAndAClient() {
        payroll = rpOnA.createClient(nodeA.admin(), "Payroll", 1000);
        phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "cia");
    }

    @AfterAll
    static void closeThePhone() {
        phone.close();
    }

    @Test
    void aPolicyAddedAndDisabledInPlainSqlAppliesToTheNextCheck() {
        assertThat(check(rpOnA).status()).as("a first check: the node now holds the config").isEqualTo(201);

        nodeA.service().sql("INSERT INTO conditional_access_policies (id, name, state, include_users, grant_control, "
                + "created_at, updated_at) VALUES (gen_random_uuid(), 'Block cia (SQL)', 'enabled', '{cia}', 'block', "
                + "now(), now())");
        try {
            RpCalls.Response blocked = check(rpOnA);
            assertThat(blocked.status()).as(blocked.toString()).isEqualTo(403);
            assertThat(blocked.error()).isEqualTo("blocked_by_policy");

            nodeA.service().sql("UPDATE conditional_access_policies SET state = 'disabled' "
                    + "WHERE name = 'Block cia (SQL)'");
            assertThat(check(rpOnA).status()).as("disabled again").isEqualTo(201);
        } finally {
            nodeA.service().sql("DELETE FROM conditional_access_policies WHERE name = 'Block cia (SQL)'");
        }
    }

    @Test
    void aSettingChangedInPlainSqlAppliesToTheNextCheck() {
        assertThat(check(rpOnA).string("number")).hasSize(2);

        nodeA.service().sql("UPDATE settings SET number_digits = 6");
        try {
            assertThat(check(rpOnA).string("number")).as("the next check's number").hasSize(6);
        } finally {
            nodeA.service().sql("UPDATE settings SET number_digits = 2");
        }
        assertThat(check(rpOnA).string("number")).hasSize(2);
    }

    @Test
    void aPolicyEnabledThroughOneNodeBlocksTheNextCheckOnTheOther() {
        assertThat(check(rpOnB).status()).as("node B holds the config").isEqualTo(201);

        Api.Response created = nodeA.api().post("/api/v1/admin/policies", new JsonObject()
                .put("name", "Block cia").put("state", "enabled").put("grant", "block")
                .put("includeUsers", new JsonArray().add("cia")), nodeA.admin());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        try {
            RpCalls.Response onB = check(rpOnB);
            assertThat(onB.status()).as(onB.toString()).isEqualTo(403);
            assertThat(onB.error()).isEqualTo("blocked_by_policy");
        } finally {
            Api.Response deleted = nodeA.api().delete("/api/v1/admin/policies/" + created.string("id"),
                    nodeA.admin());
            assertThat(deleted.status()).as(deleted.toString()).isBetween(200, 204);
        }
        assertThat(check(rpOnB).status()).as("the policy is gone").isEqualTo(201);
    }

    private static RpCalls.Response check(RpCalls rp) {
        return rp.check(payroll, RpCalls.push("cia"));
    }
}
