// One scenario per behaviour the field report observed (DOMAIN.md B1..B17). Each loads the example
// configuration configs/bNN_*.yaml, EXPLORES the model, and checks
//  - the catalog verdicts the behaviour implies (properties::verify), and
//  - the behaviour itself, as extra checks: an invariant that holds over every reachable state, an
//    end-of-run check, a check on every reachable step of some kind, or a reachability question
//    ("no state has X", which must come out Violated; its trace's last state is then inspected).
// Every trace a scenario obtains is replayed on a fresh System (see Scenario::confirm_trace).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/explore.hpp"
#include "checker/replay.hpp"
#include "cli/config_yaml.hpp"
#include "model/system.hpp"
#include "properties/verify.hpp"

namespace {

namespace checker = alertflow::checker;
namespace cli = alertflow::cli;
namespace model = alertflow::model;
namespace properties = alertflow::properties;

using checker::PropertyKind;
using checker::Verdict;
using model::Action;
using model::ActionKind;
using model::AlertSlot;
using model::Incident;
using model::IncidentOrigin;
using model::State;
using model::Writer;
using model::mdc_alert::is_closed;
using MdcStatus = model::mdc_alert::Status;
using IncidentStatus = model::sentinel_incident::Status;
using Check = checker::Check<State>;
using CheckResult = checker::CheckResult<State, Action>;
using Trace = properties::Trace;
using Predicate = std::function<bool(const State&)>;
using StepPredicate = std::function<bool(const State& before, const Action& action, const State& after)>;

// ---------------------------------------------------------------- reading configurations and states

model::Config load(std::string_view file) {
    return cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + std::string(file));
}

constexpr int A1 = 0;  // the first alert raised
constexpr int A2 = 1;

std::string_view kind_name(ActionKind k) {
    static constexpr std::array<std::string_view, model::kActionKinds> names{
        "CreateSubscription", "RaiseAlert",       "ResolveInMdc",
        "DismissInMdc",       "ReopenInMdc",      "CloseInSentinel",
        "CloseInXdr",         "ForwardBySubscriptionConnector",
        "DeliverByTenantConnector", "IngestInXdr", "BringXdrIncident",
        "CreateIncidentByRule", "CreateIncidentByTimeWindowRule", "CloseByAutomation",
        "DeliverAgainByTenantConnector", "CorrelateInXdr"};
    return names[static_cast<int>(k)];
}

std::string describe(const std::vector<Action>& actions) {
    std::string text;
    for (const Action& a : actions) {
        text += (text.empty() ? "" : ", ") + std::string(kind_name(a.kind)) + "(alert " + std::to_string(a.alert) +
                ", target " + std::to_string(a.target) + ", variant " + std::to_string(a.variant) + ")";
    }
    return text;
}

std::string_view verdict_name(Verdict v) {
    return std::array<std::string_view, 3>{"Holds", "Violated", "Unknown"}[static_cast<int>(v)];
}

std::vector<model::SecurityAlertRow> rows_of(const AlertSlot& slot) {
    std::vector<model::SecurityAlertRow> rows;
    for (int r = 0; r < slot.row_count; ++r) rows.push_back(slot.row(r));
    return rows;
}

bool is_row(const model::SecurityAlertRow& row, Writer writer, MdcStatus status) {
    return row.writer == writer && row.status == status;
}

int rows_by(const AlertSlot& slot, Writer writer) {
    int n = 0;
    for (const auto& row : rows_of(slot)) n += row.writer == writer;
    return n;
}

std::vector<Incident> incidents_holding(const State& s, int alert) {
    std::vector<Incident> held;
    for (int i = 0; i < s.incident_count; ++i)
        if (s.incidents[i].holds(alert)) held.push_back(s.incidents[i]);
    return held;
}

bool every_raised_alert(const State& s, const std::function<bool(const AlertSlot&)>& pred) {
    return std::all_of(s.alerts.begin(), s.alerts.end(), [&](const AlertSlot& a) { return !a.raised() || pred(a); });
}

bool some_raised_alert(const State& s, const std::function<bool(const AlertSlot&)>& pred) {
    return std::any_of(s.alerts.begin(), s.alerts.end(), [&](const AlertSlot& a) { return a.raised() && pred(a); });
}

bool every_row(const State& s, const std::function<bool(const AlertSlot&, const model::SecurityAlertRow&)>& pred) {
    return every_raised_alert(s, [&](const AlertSlot& a) {
        const auto rows = rows_of(a);
        return std::all_of(rows.begin(), rows.end(), [&](const auto& row) { return pred(a, row); });
    });
}

bool some_row(const State& s, const std::function<bool(const AlertSlot&, const model::SecurityAlertRow&)>& pred) {
    return !every_row(s, [&](const AlertSlot& a, const model::SecurityAlertRow& row) { return !pred(a, row); });
}

bool every_incident(const State& s, const std::function<bool(const Incident&)>& pred) {
    return std::all_of(s.incidents.begin(), s.incidents.begin() + s.incident_count, pred);
}

int owed_rows(const AlertSlot& slot) { return model::subscription_connector::owed_rows(slot.sub_forwarding); }

// ---------------------------------------------------------------- one scenario: checks, one exploration, replays

// The checks of one configuration with the verdict each must get. run() explores once for the
// catalog properties (properties::verify) and once for the scenario's own checks, asserts every
// verdict (Holds only from a complete exploration), and replays every trace it obtained.
class Scenario {
public:
    explicit Scenario(const model::Config& config) : system_(config) {}
    Scenario(const Scenario&) = delete;  // the step checks capture system_ by reference
    Scenario& operator=(const Scenario&) = delete;

    const model::System& system() const { return system_; }

    // A catalog property, by id.
    Scenario& expect(std::string_view id, Verdict verdict) {
        const properties::Property* p = properties::find(id);
        BOOST_TEST_REQUIRE(p != nullptr, "no catalog property " << id);
        catalog_.push_back(p);
        catalog_verdicts_.push_back(verdict);
        return *this;
    }

    // Holds in every reachable state.
    Scenario& always(std::string id, Predicate holds) {
        return add({std::move(id), PropertyKind::Invariant, std::move(holds)}, Verdict::Holds);
    }
    // Holds at the end of every complete run (no fair action left).
    Scenario& at_end(std::string id, Predicate holds) {
        return add({std::move(id), PropertyKind::Eventually, std::move(holds)}, Verdict::Holds);
    }
    // Some reachable state has X: the invariant "no state has X" is Violated, and witness(id)
    // is a state with X, at the end of a shortest path to it.
    Scenario& reachable(std::string id, Predicate x) {
        return add({std::move(id), PropertyKind::Invariant, [x = std::move(x)](const State& s) { return !x(s); }},
                   Verdict::Violated);
    }
    // A check with an expected verdict chosen by the caller (data-driven cases).
    Scenario& check(Check c, Verdict verdict) { return add(std::move(c), verdict); }

    // Every reachable step by an action of one of `kinds` satisfies `holds`; and some such step
    // is reachable (so the check is not vacuous): "<id>: happens" is a reachability check.
    Scenario& every_step(std::string id, std::initializer_list<ActionKind> kinds, StepPredicate holds) {
        const std::vector<ActionKind> ks(kinds);
        const auto of_kind = [ks](const Action& a) { return std::find(ks.begin(), ks.end(), a.kind) != ks.end(); };
        reachable(id + ": happens", [this, of_kind](const State& s) {
            bool enabled = false;
            system_.for_each_successor(s, [&](const Action& a, const State&) { enabled = enabled || of_kind(a); });
            return enabled;
        });
        return always(std::move(id), [this, of_kind, holds = std::move(holds)](const State& s) {
            bool ok = true;
            system_.for_each_successor(s, [&](const Action& a, const State& next) {
                if (ok && of_kind(a)) ok = holds(s, a, next);
            });
            return ok;
        });
    }

    void run() {
        if (!catalog_.empty()) {
            std::vector<Check> checks;
            for (const properties::Property* p : catalog_) checks.push_back(properties::to_check(*p));
            assert_verdicts(checks, catalog_verdicts_, properties::verify(system_, catalog_));
        }
        if (!own_.empty()) assert_verdicts(own_, own_verdicts_, checker::explore(system_, own_));
    }

    // The trace of a Violated check (catalog or own), by id.
    const Trace& trace(std::string_view id) const {
        for (const auto& [name, trace] : traces_)
            if (name == id) return trace;
        BOOST_FAIL("no trace for " << id);
        throw;  // unreachable: BOOST_FAIL throws
    }
    const State& witness(std::string_view id) const { return trace(id).states.back(); }

private:
    Scenario& add(Check c, Verdict verdict) {
        own_.push_back(std::move(c));
        own_verdicts_.push_back(verdict);
        return *this;
    }

    void assert_verdicts(const std::vector<Check>& checks, const std::vector<Verdict>& expected,
                         const properties::Result& result) {
        BOOST_TEST_REQUIRE(result.checks.size() == checks.size());
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const CheckResult& r = result.checks[i];
            BOOST_TEST_CONTEXT("check '" << r.id << "'") {
                BOOST_TEST(r.id == checks[i].id);
                BOOST_TEST(verdict_name(r.verdict) == verdict_name(expected[i]), r.note);
                if (r.verdict == Verdict::Holds) BOOST_TEST(result.stats.complete);
                if (r.verdict == Verdict::Violated) {
                    confirm_trace(checks[i], r);
                    traces_.emplace_back(r.id, *r.trace);
                }
            }
        }
    }

    // A trace replays, on the System alone, to its own last state; the check fails there; and an
    // eventually-check's trace ends a complete run (no fair action enabled).
    void confirm_trace(const Check& check, const CheckResult& r) const {
        BOOST_TEST_REQUIRE(r.trace.has_value());
        const Trace& t = *r.trace;
        BOOST_TEST_MESSAGE("trace of '" << r.id << "': " << describe(t.actions));
        BOOST_TEST_REQUIRE(t.states.size() == t.actions.size() + 1);
        const auto end = checker::replay(system_, t.actions);
        BOOST_TEST_REQUIRE(end.has_value(), "the trace does not replay: " << describe(t.actions));
        BOOST_TEST((*end == t.states.back()), "the replay ends elsewhere than the trace: " << describe(t.actions));
        BOOST_TEST(!check.holds(*end), "the check holds where the trace ends: " << describe(t.actions));
        if (check.kind == PropertyKind::Eventually) {
            bool fair_enabled = false;
            system_.for_each_successor(*end, [&](const Action& a, const State&) {
                fair_enabled = fair_enabled || system_.is_fair(a);
            });
            BOOST_TEST(!fair_enabled, "an eventually-trace ends while a fair action is enabled: " << describe(t.actions));
        }
    }

    model::System system_;
    std::vector<const properties::Property*> catalog_;
    std::vector<Verdict> catalog_verdicts_;
    std::vector<Check> own_;
    std::vector<Verdict> own_verdicts_;
    std::vector<std::pair<std::string, Trace>> traces_;
};

bool contains(const std::vector<Action>& actions, ActionKind kind) {
    return std::any_of(actions.begin(), actions.end(), [&](const Action& a) { return a.kind == kind; });
}

// ---------------------------------------------------------------- data for the table-driven cases

struct SyncVariant {
    std::string_view name;
    bool sync;
};
std::ostream& operator<<(std::ostream& os, const SyncVariant& v) { return os << v.name; }
const std::array<SyncVariant, 2> sync_variants{{{"sync on", true}, {"sync off", false}}};

struct PolicyVariant {
    std::string_view name;
    bool policy;
    Verdict all_subscriptions_covered;
    Verdict late_alert_never_has_a_row;
    Verdict no_lost_alert;
};
std::ostream& operator<<(std::ostream& os, const PolicyVariant& v) { return os << v.name; }
const std::array<PolicyVariant, 2> policy_variants{{
    {"no new-subscription policy (as configured)", false, Verdict::Violated, Verdict::Holds, Verdict::Violated},
    {"new-subscription policy on", true, Verdict::Holds, Verdict::Violated, Verdict::Holds},
}};

}  // namespace

BOOST_AUTO_TEST_SUITE(scenarios_report)

BOOST_AUTO_TEST_CASE(b01_sub_connector_without_rule_writes_row_but_makes_no_incident) {
    Scenario sc(load("b01_sub_connector_no_rule.yaml"));
    sc.expect("all-subscriptions-covered", Verdict::Holds)
        .expect("no-lost-alert", Verdict::Violated)
        .expect("exactly-one-incident", Verdict::Violated)
        .always("no incident is ever made", [](const State& s) { return s.incident_count == 0; })
        .always("every row is the subscription connector's",
                [](const State& s) { return every_row(s, [](auto&, auto& row) { return row.writer == Writer::SubscriptionConnector; }); })
        .reachable("an alert with a SecurityAlert row and no incident",
                   [](const State& s) { return s.alerts[A1].row_count > 0 && s.incident_count == 0; })
        .at_end("every alert has its creation row",
                [](const State& s) { return every_raised_alert(s, [](const AlertSlot& a) {
                    return a.row_count > 0 && is_row(a.row(0), Writer::SubscriptionConnector, MdcStatus::Active); }); });
    sc.run();
    const State& w = sc.witness("an alert with a SecurityAlert row and no incident");
    BOOST_TEST(w.alerts[A1].row_count == 1);
    BOOST_TEST(is_row(w.alerts[A1].row(0), Writer::SubscriptionConnector, MdcStatus::Active));
    // The alert is lost for the SOC: a complete run ends with its row and no incident.
    const State& end = sc.witness("no-lost-alert");
    BOOST_TEST(end.alerts[A1].row_count > 0);
    BOOST_TEST(end.incident_count == 0);
}

BOOST_AUTO_TEST_CASE(b02_sub_connector_with_rule_makes_exactly_one_incident) {
    Scenario sc(load("b02_sub_connector_with_rule.yaml"));
    sc.expect("exactly-one-incident", Verdict::Holds)
        .expect("no-lost-alert", Verdict::Holds)
        .expect("no-duplicate-incident", Verdict::Holds)
        .always("at most one incident per alert, open or closed, at any moment",
                [](const State& s) { return incidents_holding(s, A1).size() <= 1; })
        .always("every incident is the rule's, made from the subscription connector's row",
                [](const State& s) { return every_incident(s, [](const Incident& i) {
                    return i.origin == IncidentOrigin::IncidentCreationRule && i.first_row_writer == Writer::SubscriptionConnector; }); })
        .reachable("an alert held by an incident", [](const State& s) { return incidents_holding(s, A1).size() == 1; });
    sc.run();
    const State& w = sc.witness("an alert held by an incident");
    BOOST_TEST(w.incident_count == 1);
    BOOST_TEST(w.incidents[0].open());
    BOOST_TEST(w.alerts[A1].row_count == 1);
}

BOOST_AUTO_TEST_CASE(b03_sub_sync_closing_sentinel_incident_writes_row_and_resolves_mdc_alert) {
    Scenario sc(load("b03_sub_sync_closes_mdc.yaml"));
    sc.expect("sentinel-close-reaches-mdc", Verdict::Holds)
        .expect("exactly-one-incident", Verdict::Holds)
        .every_step("closing an incident in Sentinel resolves its Active MDC alert at once, and the sub connector owes the new row",
                    {ActionKind::CloseInSentinel}, [](const State& before, const Action& act, const State& after) {
                        for (int alert = 0; alert < model::kMaxAlerts; ++alert) {
                            if (!before.incidents[act.target].holds(alert)) continue;
                            const AlertSlot& b = before.alerts[alert];
                            const AlertSlot& a = after.alerts[alert];
                            const bool ok = b.mdc == MdcStatus::Active
                                                ? a.mdc == MdcStatus::Resolved && owed_rows(a) == owed_rows(b) + 1 && a.row_count == b.row_count
                                                : a.mdc == b.mdc && owed_rows(a) == owed_rows(b);
                            if (!ok) return false;
                        }
                        return true;
                    })
        .reachable("incident closed, MDC alert Resolved, newest row the sub connector's Resolved",
                   [](const State& s) {
                       const AlertSlot& a = s.alerts[A1];
                       return s.incident_count == 1 && s.incidents[0].status == IncidentStatus::Closed &&
                              a.mdc == MdcStatus::Resolved && a.row_count == 2 &&
                              is_row(a.row(0), Writer::SubscriptionConnector, MdcStatus::Active) &&
                              is_row(a.row(1), Writer::SubscriptionConnector, MdcStatus::Resolved);
                   });
    sc.run();
    // The shortest way there is the sync: the analyst closes the incident, nobody touches MDC.
    const auto& actions = sc.trace("incident closed, MDC alert Resolved, newest row the sub connector's Resolved").actions;
    BOOST_TEST(contains(actions, ActionKind::CloseInSentinel));
    BOOST_TEST(!contains(actions, ActionKind::ResolveInMdc));
    BOOST_TEST(!contains(actions, ActionKind::DismissInMdc));
    BOOST_TEST(!contains(actions, ActionKind::CloseInXdr));
    BOOST_TEST((actions.back().kind == ActionKind::ForwardBySubscriptionConnector));  // the sync's row comes last
}

BOOST_DATA_TEST_CASE(b04_closing_mdc_alert_writes_row_and_leaves_sentinel_incident_open,
                     boost::unit_test::data::make(sync_variants), variant) {
    model::Config config = load("b04_mdc_close_leaves_incident.yaml");
    config.connectors.subscription.bidirectional_sync = variant.sync;
    Scenario sc(config);
    const auto closed_in_mdc_incident_open = [](MdcStatus status) {
        return [status](const State& s) {
            const AlertSlot& a = s.alerts[A1];
            return a.mdc == status && s.incident_count == 1 && s.incidents[0].open() && a.row_count == 2 &&
                   owed_rows(a) == 0 && is_row(a.row(1), Writer::SubscriptionConnector, status);
        };
    };
    sc.expect("mdc-close-reaches-sentinel", Verdict::Violated)
        .expect("exactly-one-incident", Verdict::Holds)
        .every_step("closing the alert in MDC leaves every incident as it was and owes a new row with the new status",
                    {ActionKind::ResolveInMdc, ActionKind::DismissInMdc},
                    [](const State& before, const Action& act, const State& after) {
                        const MdcStatus want = act.kind == ActionKind::ResolveInMdc ? MdcStatus::Resolved : MdcStatus::Dismissed;
                        return after.incident_count == before.incident_count && after.incidents == before.incidents &&
                               after.alerts[A1].mdc == want &&
                               owed_rows(after.alerts[A1]) == owed_rows(before.alerts[A1]) + 1;
                    })
        .reachable("alert Resolved in MDC, its Resolved row written, incident still open", closed_in_mdc_incident_open(MdcStatus::Resolved))
        .reachable("alert Dismissed in MDC, its Dismissed row written, incident still open", closed_in_mdc_incident_open(MdcStatus::Dismissed));
    sc.run();
    // A complete run ends with the MDC alert closed and its incident still open.
    const State& end = sc.witness("mdc-close-reaches-sentinel");
    BOOST_TEST(is_closed(end.alerts[A1].mdc));
    BOOST_TEST(end.incident_count == 1);
    BOOST_TEST(end.incidents[0].open());
}

BOOST_AUTO_TEST_CASE(b05_sub_sync_off_closing_sentinel_incident_writes_no_row_and_leaves_mdc_open) {
    Scenario sc(load("b05_sub_sync_off.yaml"));
    sc.expect("sentinel-close-reaches-mdc", Verdict::Violated)
        .expect("exactly-one-incident", Verdict::Holds)
        .every_step("closing an incident in Sentinel changes nothing but the incident", {ActionKind::CloseInSentinel},
                    [](const State& before, const Action&, const State& after) { return after.alerts == before.alerts; });
    sc.run();
    // A complete run ends with the incident closed, the MDC alert Active, and only its Active row.
    const State& end = sc.witness("sentinel-close-reaches-mdc");
    BOOST_TEST(end.incident_count == 1);
    BOOST_TEST((end.incidents[0].status == IncidentStatus::Closed));
    BOOST_TEST((end.alerts[A1].mdc == MdcStatus::Active));
    BOOST_TEST(end.alerts[A1].row_count == 1);
    BOOST_TEST(is_row(end.alerts[A1].row(0), Writer::SubscriptionConnector, MdcStatus::Active));
}

BOOST_AUTO_TEST_CASE(b06_tenant_connector_all_alerts_rule_one_incident_mdc_changes_as_rows_no_sync_back) {
    Scenario sc(load("b06_tenant_all_alerts_rule.yaml"));
    sc.expect("exactly-one-incident", Verdict::Holds)
        .expect("no-duplicate-incident", Verdict::Holds)
        .expect("all-subscriptions-covered", Verdict::Holds)
        .expect("sentinel-close-reaches-mdc", Verdict::Violated)
        .always("every row is the tenant connector's",
                [](const State& s) { return every_row(s, [](auto&, auto& row) { return row.writer == Writer::TenantConnector; }); })
        .every_step("a tenant delivery appends one tenant row with the MDC status of that moment",
                    {ActionKind::DeliverByTenantConnector}, [](const State& before, const Action& act, const State& after) {
                        const AlertSlot& b = before.alerts[act.alert];
                        const AlertSlot& a = after.alerts[act.alert];
                        return a.row_count == b.row_count + 1 && is_row(a.row(a.row_count - 1), Writer::TenantConnector, b.mdc);
                    })
        .every_step("closing an incident in Sentinel writes no row and leaves the MDC alert as it was",
                    {ActionKind::CloseInSentinel},
                    [](const State& before, const Action&, const State& after) { return after.alerts == before.alerts; })
        .reachable("the MDC alert's resolution appears as a new tenant row after its Active row", [](const State& s) {
            const AlertSlot& a = s.alerts[A1];
            return a.row_count == 2 && is_row(a.row(0), Writer::TenantConnector, MdcStatus::Active) &&
                   is_row(a.row(1), Writer::TenantConnector, MdcStatus::Resolved);
        });
    sc.run();
    const State& end = sc.witness("sentinel-close-reaches-mdc");
    BOOST_TEST((end.alerts[A1].mdc == MdcStatus::Active));
    BOOST_TEST(end.incident_count == 1);
    BOOST_TEST((end.incidents[0].status == IncidentStatus::Closed));
}

BOOST_AUTO_TEST_CASE(b07_tenant_connector_with_xdr_no_alerts_gives_no_row_and_no_incident) {
    Scenario sc(load("b07_tenant_no_alerts.yaml"));
    sc.expect("all-subscriptions-covered", Verdict::Violated)
        .expect("no-lost-alert", Verdict::Violated)
        .always("no row ever appears", [](const State& s) { return s.total_rows() == 0; })
        .always("no incident is ever made", [](const State& s) { return s.incident_count == 0; })
        .always("XDR ingests no alert", [](const State& s) {
            return every_raised_alert(s, [](const AlertSlot& a) { return a.xdr == model::defender_xdr::Ingestion::NotIngested; }); })
        .reachable("an alert is raised", [](const State& s) { return s.alerts[A1].raised(); });
    sc.run();
    const State& end = sc.witness("all-subscriptions-covered");
    BOOST_TEST(end.alerts[A1].raised());
    BOOST_TEST(end.alerts[A1].row_count == 0);
}

BOOST_AUTO_TEST_CASE(b08_both_connectors_rule_two_copies_one_incident_from_sub_row_tenant_row_resolved) {
    // What the model does under configs/b08 (timing subscription-before-tenant, sync on,
    // automation_close on): the sub connector writes the creation row and one row per later MDC
    // status (the automation's close comes back through the sync as a Resolved row); the tenant
    // connector writes exactly one row, after all of them, with the final MDC status: Resolved,
    // or Dismissed if an analyst dismissed the alert in MDC first. One incident, from the sub row.
    const model::Config config = load("b08_both_connectors_rule.yaml");
    Scenario sc(config);
    sc.expect("exactly-one-incident", Verdict::Holds)
        .expect("no-duplicate-incident", Verdict::Holds)
        .expect("sentinel-close-reaches-mdc", Verdict::Holds)
        .expect("no-duplicate-rows", Verdict::Violated)
        .always("the first row of every alert is the sub connector's, and every incident was made from it",
                [](const State& s) {
                    return every_raised_alert(s, [](const AlertSlot& a) { return a.row_count == 0 || a.row(0).writer == Writer::SubscriptionConnector; }) &&
                           every_incident(s, [](const Incident& i) {
                               return i.origin == IncidentOrigin::IncidentCreationRule && i.first_row_writer == Writer::SubscriptionConnector; });
                })
        .always("no sub connector row follows a tenant row", [](const State& s) {
            return every_raised_alert(s, [](const AlertSlot& a) {
                bool tenant_seen = false;
                for (const auto& row : rows_of(a)) {
                    if (tenant_seen && row.writer == Writer::SubscriptionConnector) return false;
                    tenant_seen = tenant_seen || row.writer == Writer::TenantConnector;
                }
                return true;
            });
        })
        .always("every tenant row carries the alert's final, closed MDC status: Resolved unless an analyst dismissed it",
                [](const State& s) {
                    return every_row(s, [](const AlertSlot& a, const model::SecurityAlertRow& row) {
                        return row.writer != Writer::TenantConnector ||
                               (row.status == a.mdc && (row.status == MdcStatus::Resolved || row.status == MdcStatus::Dismissed));
                    });
                })
        .at_end("each alert: the sub connector's rows, one per MDC status in order, then exactly one tenant row with the final status",
                [](const State& s) {
                    return every_raised_alert(s, [](const AlertSlot& a) {
                        if (a.row_count != a.history_len + 1) return false;
                        for (int i = 0; i < a.history_len; ++i)
                            if (!is_row(a.row(i), Writer::SubscriptionConnector, a.history_at(i))) return false;
                        return is_row(a.row(a.history_len), Writer::TenantConnector, a.mdc);
                    });
                })
        .reachable("the report's three rows: sub Active, sub Resolved, tenant Resolved", [](const State& s) {
            const AlertSlot& a = s.alerts[A1];
            return a.row_count == 3 && is_row(a.row(0), Writer::SubscriptionConnector, MdcStatus::Active) &&
                   is_row(a.row(1), Writer::SubscriptionConnector, MdcStatus::Resolved) &&
                   is_row(a.row(2), Writer::TenantConnector, MdcStatus::Resolved);
        });
    sc.run();
    const Trace& report = sc.trace("the report's three rows: sub Active, sub Resolved, tenant Resolved");
    BOOST_TEST(contains(report.actions, ActionKind::CreateIncidentByRule));
    BOOST_TEST(report.states.back().incident_count == 1);
    BOOST_TEST(!report.states.back().incidents[0].open());

    // With no analyst closing alerts in MDC, every tenant row says Resolved (the report's picture).
    model::Config no_mdc_close = config;
    no_mdc_close.analysts.close_in_mdc = false;
    Scenario only_resolved(no_mdc_close);
    only_resolved.always("every tenant row says Resolved", [](const State& s) {
        return every_row(s, [](auto&, const model::SecurityAlertRow& row) {
            return row.writer != Writer::TenantConnector || row.status == MdcStatus::Resolved; });
    }).reachable("a tenant row", [](const State& s) { return rows_by(s.alerts[A1], Writer::TenantConnector) > 0; });
    only_resolved.run();

    // The timing assumption is what makes it so: in any order the tenant row can come first,
    // say Active, and be the row the incident is made from.
    model::Config any_order = config;
    any_order.timing = model::Timing::AnyOrder;
    Scenario racing(any_order);
    racing.expect("exactly-one-incident", Verdict::Holds)
        .reachable("an incident made from the tenant connector's row", [](const State& s) {
            return !every_incident(s, [](const Incident& i) { return i.first_row_writer == Writer::SubscriptionConnector; }); })
        .reachable("a tenant row saying Active", [](const State& s) {
            return some_row(s, [](auto&, const model::SecurityAlertRow& row) {
                return is_row(row, Writer::TenantConnector, MdcStatus::Active); }); });
    racing.run();
}

BOOST_DATA_TEST_CASE(b09_late_subscription_is_covered_only_with_new_subscription_policy,
                     boost::unit_test::data::make(policy_variants), variant) {
    constexpr int late = 1;  // scope: 2 subscriptions, the second created after set-up
    model::Config config = load("b09_late_subscription.yaml");
    config.connectors.subscription.new_subscription_policy = variant.policy;
    Scenario sc(config);
    sc.expect("all-subscriptions-covered", variant.all_subscriptions_covered)
        .expect("no-lost-alert", variant.no_lost_alert)
        .check({"an alert raised in the late subscription never gets a row", PropertyKind::Invariant,
                [](const State& s) { return !some_raised_alert(s, [](const AlertSlot& a) { return a.subscription == late && a.row_count > 0; }); }},
               variant.late_alert_never_has_a_row)
        .reachable("an alert is raised in the late subscription",
                   [](const State& s) { return some_raised_alert(s, [](const AlertSlot& a) { return a.subscription == late; }); })
        .reachable("an alert raised in the first subscription gets a row",
                   [](const State& s) { return some_raised_alert(s, [](const AlertSlot& a) { return a.subscription == 0 && a.row_count > 0; }); });
    sc.run();
    if (variant.all_subscriptions_covered == Verdict::Violated) {
        const State& end = sc.witness("all-subscriptions-covered");
        BOOST_TEST(end.alerts[A1].subscription == late);
        BOOST_TEST(end.alerts[A1].row_count == 0);
    }
}

BOOST_AUTO_TEST_CASE(b10_xdr_connector_without_mdc_connector_gives_empty_incident) {
    Scenario sc(load("b10_xdr_connector_only.yaml"));
    sc.expect("incident-has-alert", Verdict::Violated)
        .expect("incident-never-empty", Verdict::Violated)
        .expect("exactly-one-incident", Verdict::Holds)
        .expect("all-subscriptions-covered", Verdict::Violated)
        .always("no row ever appears", [](const State& s) { return s.total_rows() == 0; })
        .always("every incident is the XDR connector's", [](const State& s) {
            return every_incident(s, [](const Incident& i) { return i.origin == IncidentOrigin::XdrConnector; }); })
        .at_end("every alert is in an XDR-connector incident", [](const State& s) {
            for (int a = 0; a < model::kMaxAlerts; ++a)
                if (s.alerts[a].raised() && incidents_holding(s, a).size() != 1) return false;
            return true;
        });
    sc.run();
    const State& end = sc.witness("incident-has-alert");
    BOOST_TEST(end.incident_count == 1);
    BOOST_TEST((end.incidents[0].origin == IncidentOrigin::XdrConnector));
    BOOST_TEST(end.incidents[0].holds(A1));
    BOOST_TEST(end.alerts[A1].row_count == 0);
}

BOOST_AUTO_TEST_CASE(b11_xdr_connector_with_tenant_connector_incident_has_alert_and_closes_both_ways) {
    const model::Config config = load("b11_xdr_with_tenant_connector.yaml");
    Scenario sc(config);
    const auto xdr_incidents_closed_with_alerts = [](const State& s) {
        return every_incident(s, [&](const Incident& i) {
            bool all_closed = true;
            for (int a = 0; a < model::kMaxAlerts; ++a) all_closed = all_closed && (!i.holds(a) || is_closed(s.alerts[a].mdc));
            return i.origin != IncidentOrigin::XdrConnector || !all_closed || !i.open();
        });
    };
    sc.expect("incident-has-alert", Verdict::Holds)
        .expect("incident-never-empty", Verdict::Holds)
        .expect("sentinel-close-reaches-mdc", Verdict::Holds)
        .expect("mdc-close-reaches-sentinel", Verdict::Holds)
        .expect("exactly-one-incident", Verdict::Holds)
        .every_step("the XDR connector brings the incident only once the alert's row is in SecurityAlert",
                    {ActionKind::BringXdrIncident},
                    [](const State& before, const Action& act, const State&) { return before.alerts[act.alert].row_count > 0; })
        .every_step("closing the XDR incident in Sentinel closes its MDC alert at once", {ActionKind::CloseInSentinel},
                    [](const State&, const Action& act, const State& after) {
                        const Incident& i = after.incidents[act.target];  // closing does not reorder incidents
                        if (i.origin != IncidentOrigin::XdrConnector) return true;
                        for (int a = 0; a < model::kMaxAlerts; ++a)
                            if (i.holds(a) && !is_closed(after.alerts[a].mdc)) return false;
                        return true;
                    })
        .every_step("closing the alert in MDC or XDR closes its XDR incident in Sentinel at once",
                    {ActionKind::ResolveInMdc, ActionKind::DismissInMdc, ActionKind::CloseInXdr},
                    [&](const State&, const Action&, const State& after) { return xdr_incidents_closed_with_alerts(after); })
        .reachable("the XDR incident closed in Sentinel has resolved the MDC alert, and the tenant row says so",
                   [](const State& s) {
                       const AlertSlot& a = s.alerts[A1];
                       return s.incident_count == 1 && s.incidents[0].status == IncidentStatus::Closed &&
                              a.mdc == MdcStatus::Resolved && a.row_count == 2 &&
                              is_row(a.row(1), Writer::TenantConnector, MdcStatus::Resolved);
                   });
    sc.run();

    // With analysts who close only in Sentinel, the MDC alert still ends up Resolved: by the sync.
    model::Config sentinel_only = config;
    sentinel_only.analysts.close_in_mdc = false;
    sentinel_only.analysts.close_in_xdr = false;
    Scenario sync(sentinel_only);
    sync.expect("sentinel-close-reaches-mdc", Verdict::Holds)
        .reachable("the MDC alert is Resolved", [](const State& s) { return s.alerts[A1].mdc == MdcStatus::Resolved; });
    sync.run();
    BOOST_TEST(contains(sync.trace("the MDC alert is Resolved").actions, ActionKind::CloseInSentinel));
}

BOOST_AUTO_TEST_CASE(b12_xdr_connector_plus_rule_duplicates_incident) {
    Scenario sc(load("b12_xdr_connector_plus_rule.yaml"));
    const auto two_open_from_both_providers = [](const State& s) {
        const auto held = incidents_holding(s, A1);
        return held.size() == 2 && held[0].open() && held[1].open() &&
               held[0].origin == IncidentOrigin::IncidentCreationRule && held[1].origin == IncidentOrigin::XdrConnector;
    };
    sc.expect("no-duplicate-incident", Verdict::Violated)
        .expect("exactly-one-incident", Verdict::Violated)
        .always("at most one incident per alert from each provider", [](const State& s) {
            const auto held = incidents_holding(s, A1);
            return std::count_if(held.begin(), held.end(), [](const Incident& i) { return i.origin == IncidentOrigin::XdrConnector; }) <= 1 &&
                   std::count_if(held.begin(), held.end(), [](const Incident& i) { return i.origin == IncidentOrigin::IncidentCreationRule; }) <= 1;
        })
        .reachable("two open incidents for one alert: Azure Sentinel (rule) and Microsoft Defender XDR", two_open_from_both_providers);
    sc.run();
    // The catalog's own counterexample is that situation.
    BOOST_TEST(two_open_from_both_providers(sc.witness("no-duplicate-incident")));
    // And a complete run ends with both incidents standing for the alert.
    const State& end = sc.witness("exactly-one-incident");
    const auto held = incidents_holding(end, A1);
    BOOST_TEST_REQUIRE(held.size() == 2u);
    BOOST_TEST((held[0].origin == IncidentOrigin::IncidentCreationRule));
    BOOST_TEST((held[1].origin == IncidentOrigin::XdrConnector));
}

BOOST_AUTO_TEST_CASE(b13_xdr_correlation_merges_incidents_and_redirects_the_old_ones) {
    Scenario sc(load("b13_xdr_correlation.yaml"));
    const auto merged_and_redirected = [](const State& s) {
        int merged_open = 0, redirected_a1 = 0, redirected_a2 = 0;
        for (int i = 0; i < s.incident_count; ++i) {
            const Incident& inc = s.incidents[i];
            merged_open += inc.holds(A1) && inc.holds(A2) && inc.open() && inc.origin == IncidentOrigin::XdrConnector;
            redirected_a1 += inc.redirected() && inc.alerts == (1u << A1);
            redirected_a2 += inc.redirected() && inc.alerts == (1u << A2);
        }
        return s.incident_count == 3 && merged_open == 1 && redirected_a1 == 1 && redirected_a2 == 1;
    };
    sc.expect("exactly-one-incident", Verdict::Holds)
        .expect("no-duplicate-incident", Verdict::Holds)
        .every_step("correlation tags both old incidents Redirected and opens one incident holding all their alerts",
                    {ActionKind::CorrelateInXdr}, [](const State& before, const Action& act, const State& after) {
                        const Incident& x = before.incidents[act.target];
                        const Incident& y = before.incidents[act.variant];
                        int redirected = 0, merged = 0;
                        for (int i = 0; i < after.incident_count; ++i) {
                            const Incident& inc = after.incidents[i];
                            redirected += inc.redirected() && (inc.alerts == x.alerts || inc.alerts == y.alerts);
                            merged += inc.open() && inc.alerts == (x.alerts | y.alerts);
                        }
                        return after.incident_count == before.incident_count + 1 && redirected == 2 && merged == 1;
                    })
        .reachable("a merged open incident holding both alerts, beside two Redirected incidents", merged_and_redirected);
    sc.run();
    BOOST_TEST(contains(sc.trace("a merged open incident holding both alerts, beside two Redirected incidents").actions,
                        ActionKind::CorrelateInXdr));
}

BOOST_AUTO_TEST_CASE(b14_xdr_incident_can_reach_sentinel_before_its_alert_row) {
    Scenario sc(load("b14_xdr_incident_before_alert.yaml"));
    sc.expect("incident-never-empty", Verdict::Violated)
        .expect("incident-has-alert", Verdict::Holds)
        .expect("exactly-one-incident", Verdict::Holds);
    sc.run();
    // For a while the XDR incident is empty, with the tenant connector's row still to come.
    const State& w = sc.witness("incident-never-empty");
    BOOST_TEST(w.incident_count == 1);
    BOOST_TEST((w.incidents[0].origin == IncidentOrigin::XdrConnector));
    BOOST_TEST(w.alerts[A1].row_count == 0);
    BOOST_TEST((w.alerts[A1].tenant_delivery == model::tenant_connector::Delivery::Owes));
}

BOOST_AUTO_TEST_CASE(b15_tenant_duplicate_delivery_still_makes_one_incident) {
    Scenario sc(load("b15_tenant_duplicates.yaml"));
    sc.expect("exactly-one-incident", Verdict::Holds)
        .expect("no-duplicate-incident", Verdict::Holds)
        .expect("no-duplicate-rows", Verdict::Violated)
        .always("at most one incident per alert, open or closed, at any moment",
                [](const State& s) { return incidents_holding(s, A1).size() <= 1; })
        .reachable("two tenant rows of one alert with the same status", [](const State& s) {
            const AlertSlot& a = s.alerts[A1];
            for (int i = 0; i < a.row_count; ++i)
                for (int j = i + 1; j < a.row_count; ++j)
                    if (a.row(i).writer == Writer::TenantConnector && a.row(j).writer == Writer::TenantConnector &&
                        a.row(i).status == a.row(j).status)
                        return true;
            return false;
        });
    sc.run();
    BOOST_TEST(contains(sc.trace("two tenant rows of one alert with the same status").actions,
                        ActionKind::DeliverAgainByTenantConnector));
}

BOOST_AUTO_TEST_CASE(b16_rows_link_portal_azure_from_sub_connector_and_security_microsoft_from_tenant) {
    Scenario sc(load("b16_alert_links.yaml"));
    using model::security_alert_table::link;
    sc.always("every sub connector row links portal.azure.com and every tenant row security.microsoft.com",
              [](const State& s) {
                  return every_row(s, [](auto&, const model::SecurityAlertRow& row) {
                      return link(row.writer) == (row.writer == Writer::SubscriptionConnector ? "portal.azure.com" : "security.microsoft.com");
                  });
              })
        .reachable("one alert with rows from both connectors", [](const State& s) {
            return rows_by(s.alerts[A1], Writer::SubscriptionConnector) > 0 && rows_by(s.alerts[A1], Writer::TenantConnector) > 0; });
    sc.run();
    std::vector<std::string_view> links;
    for (const auto& row : rows_of(sc.witness("one alert with rows from both connectors").alerts[A1])) links.push_back(link(row.writer));
    std::sort(links.begin(), links.end());
    BOOST_TEST(links == (std::vector<std::string_view>{"portal.azure.com", "security.microsoft.com"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(b17_wrong_start_time_makes_time_window_rule_miss_the_alert) {
    model::Config config = load("b17_start_time_skew.yaml");
    Scenario sc(config);
    sc.expect("time-window-rule-sees-alert", Verdict::Violated)
        .reachable("a sub connector row with a non-UTC StartTime for an alert whose StartTime is right in MDC",
                   [](const State& s) {
                       return some_row(s, [](const AlertSlot& a, const model::SecurityAlertRow& row) {
                           return !a.future_start_time && row.writer == Writer::SubscriptionConnector && !row.start_time_ok; });
                   })
        .reachable("an alert with a future StartTime is raised",
                   [](const State& s) { return some_raised_alert(s, [](const AlertSlot& a) { return a.future_start_time != 0; }); })
        .always("every row of an alert with a future StartTime has a wrong StartTime", [](const State& s) {
            return every_row(s, [](const AlertSlot& a, const model::SecurityAlertRow& row) { return !a.future_start_time || !row.start_time_ok; }); })
        .always("the time-window rule makes an incident only for an alert with a row whose StartTime is right",
                [](const State& s) {
                    return every_incident(s, [&](const Incident& i) {
                        if (i.origin != IncidentOrigin::TimeWindowRule) return true;
                        const auto rows = rows_of(s.alerts[A1]);
                        return std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.start_time_ok; });
                    });
                })
        .reachable("the time-window rule makes an incident", [](const State& s) { return s.incident_count > 0; });
    sc.run();
    // A complete run ends with the alert's rows all out of the window, and no incident for it.
    const State& end = sc.witness("time-window-rule-sees-alert");
    BOOST_TEST(end.alerts[A1].row_count > 0);
    BOOST_TEST(end.incident_count == 0);

    // Without the skew every row's StartTime is right, and the rule sees every alert.
    config.faults.start_time_skew = false;
    Scenario no_skew(config);
    no_skew.expect("time-window-rule-sees-alert", Verdict::Holds)
        .always("every row has a right StartTime",
                [](const State& s) { return every_row(s, [](auto&, const model::SecurityAlertRow& row) { return row.start_time_ok; }); });
    no_skew.run();
}

BOOST_AUTO_TEST_SUITE_END()
