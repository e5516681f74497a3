// Pictures: what each step changed, traces as sequence diagrams and components as state diagrams
// read from their MSM transition tables, in Mermaid, DOT and SVG; golden outputs in tests/golden/.
// Set ALERTFLOW_UPDATE_GOLDEN=1 to rewrite the golden files from the current output (then look at
// them before committing).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/mpl/size.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "cli/config_yaml.hpp"
#include "model/automation_rule.hpp"
#include "model/defender_xdr.hpp"
#include "model/environment.hpp"
#include "model/incident_creation_rule.hpp"
#include "model/mdc_alert.hpp"
#include "model/msm_diagram.hpp"
#include "model/security_alert_table.hpp"
#include "model/sentinel_incident.hpp"
#include "model/subscription_connector.hpp"
#include "model/tenant_connector.hpp"
#include "model/xdr_connector.hpp"
#include "traces/changes.hpp"
#include "traces/trace.hpp"
#include "pictures/components.hpp"
#include "pictures/sequence.hpp"

// How Boost.Test prints a change that differs.
namespace alertflow::traces {
inline std::ostream& boost_test_print_type(std::ostream& os, const FieldChange& c) { return os << describe_change(c); }
}  // namespace alertflow::traces

namespace {

namespace model = alertflow::model;
namespace properties = alertflow::properties;
namespace cli = alertflow::cli;
namespace pic = alertflow::pictures;
using model::ActionKind;

std::string source_path(const std::string& relative) { return std::string(ALERTFLOW_SOURCE_DIR) + "/" + relative; }

struct B3 {
    model::Config config;
    properties::Trace trace;
};

// B3 by hand: raise A1, forward it, the rule makes the incident, the analyst closes it in Sentinel
// (the sub connector's sync resolves A1 in MDC), and the connector forwards the Resolved status.
B3 b3_trace() {
    B3 b{cli::load_config(source_path("configs/b03_sub_sync_closes_mdc.yaml")), {}};
    const model::System system(b.config);
    b.trace.states.push_back(system.initial_states()[0]);
    for (const model::Action& a : {model::Action{ActionKind::RaiseAlert, 0, 0, 0},
                                   model::Action{ActionKind::ForwardBySubscriptionConnector, 0, 0, 0},
                                   model::Action{ActionKind::CreateIncidentByRule, 0, 0, 0},
                                   model::Action{ActionKind::CloseInSentinel, 0, 0, 0},
                                   model::Action{ActionKind::ForwardBySubscriptionConnector, 0, 0, 0}}) {
        b.trace.actions.push_back(a);
        b.trace.states.push_back(system.apply(b.trace.states.back(), a));
    }
    return b;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Compares with tests/golden/NAME, or rewrites it when ALERTFLOW_UPDATE_GOLDEN is set.
void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = source_path("tests/golden/" + name);
    if (std::getenv("ALERTFLOW_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << actual;
        BOOST_TEST_MESSAGE("rewrote " << path);
        return;
    }
    const std::string expected = read_file(path);
    if (actual == expected) {
        BOOST_TEST(true);
        return;
    }
    std::istringstream a(actual);
    std::istringstream e(expected);
    std::string la;
    std::string le;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, la));
        const bool more_e = static_cast<bool>(std::getline(e, le));
        if (!more_a && !more_e) break;
        if (la != le || more_a != more_e) {
            BOOST_ERROR(name << " differs from the golden file at line " << line << "\n  got:      " << la
                             << "\n  expected: " << le);
            return;
        }
    }
    BOOST_ERROR(name << " differs from the golden file");
}

// A small well-formedness check for the SVG we write: the XML declaration, balanced tags, quoted
// attributes, and no raw '<' or unescaped '&' in text or attribute values.
std::string xml_problem(const std::string& xml) {
    std::vector<std::string> open;
    std::size_t i = 0;
    const auto entity_ok = [&](std::size_t at) {
        for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
            if (xml.compare(at, std::char_traits<char>::length(e), e) == 0) return true;
        return false;
    };
    if (xml.rfind("<?xml ", 0) == 0) i = xml.find("?>") + 2;
    while (i < xml.size()) {
        if (xml[i] == '&') {
            if (!entity_ok(i)) return "unescaped '&' at " + std::to_string(i);
            ++i;
            continue;
        }
        if (xml[i] == '>') return "stray '>' in text at " + std::to_string(i);
        if (xml[i] != '<') {
            ++i;
            continue;
        }
        const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
        std::size_t j = i + (closing ? 2 : 1);
        const std::size_t name_start = j;
        while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == ':')) ++j;
        const std::string name = xml.substr(name_start, j - name_start);
        if (name.empty()) return "'<' not starting a tag at " + std::to_string(i);
        // Attributes: name="value", values without '<' and with escaped '&'.
        while (j < xml.size() && xml[j] != '>' && !(xml[j] == '/' && j + 1 < xml.size() && xml[j + 1] == '>')) {
            if (xml[j] == '"') {
                const std::size_t end = xml.find('"', j + 1);
                if (end == std::string::npos) return "unterminated attribute in <" + name + ">";
                for (std::size_t k = j + 1; k < end; ++k) {
                    if (xml[k] == '<') return "'<' in an attribute of <" + name + ">";
                    if (xml[k] == '&' && !entity_ok(k)) return "unescaped '&' in an attribute of <" + name + ">";
                }
                j = end + 1;
                continue;
            }
            if (xml[j] == '<') return "'<' inside the tag <" + name + ">";
            ++j;
        }
        if (j >= xml.size()) return "unterminated tag <" + name + ">";
        const bool self_closing = xml[j] == '/';
        i = j + (self_closing ? 2 : 1);
        if (closing) {
            if (open.empty() || open.back() != name) return "</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">");
            open.pop_back();
        } else if (!self_closing) {
            open.push_back(name);
        }
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
    return "";
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// Transition-table sizes, read here independently of the registry.
const std::map<std::string, std::size_t>& table_sizes() {
    using namespace model;
    static const std::map<std::string, std::size_t> sizes{
        {"mdc-alert", boost::mpl::size<mdc_alert::Machine_::transition_table>::value},
        {"subscription-coverage", boost::mpl::size<subscription_connector::CoverageMachine_::transition_table>::value},
        {"subscription-forwarding", boost::mpl::size<subscription_connector::ForwardingMachine_::transition_table>::value},
        {"tenant-connector", boost::mpl::size<tenant_connector::Machine_::transition_table>::value},
        {"defender-xdr", boost::mpl::size<defender_xdr::Machine_::transition_table>::value},
        {"xdr-connector", boost::mpl::size<xdr_connector::Machine_::transition_table>::value},
        {"incident-creation-rule", boost::mpl::size<incident_creation_rule::Machine_::transition_table>::value},
        {"security-alert-table", boost::mpl::size<security_alert_table::Machine_::transition_table>::value},
        {"sentinel-incident", boost::mpl::size<sentinel_incident::Machine_::transition_table>::value},
        {"automation-rule", boost::mpl::size<automation_rule::Machine_::transition_table>::value},
        {"subscription", boost::mpl::size<environment::SubscriptionMachine_::transition_table>::value},
        {"analysts", boost::mpl::size<environment::AnalystsMachine_::transition_table>::value},
    };
    return sizes;
}

const char* const kComponents[] = {"mdc-alert",          "subscription-coverage", "subscription-forwarding",
                                   "tenant-connector",   "defender-xdr",          "xdr-connector",
                                   "incident-creation-rule", "security-alert-table", "sentinel-incident",
                                   "automation-rule",    "subscription",          "analysts"};

}  // namespace

BOOST_AUTO_TEST_SUITE(pictures)

// ---------------------------------------------------------------- what a step changed

BOOST_AUTO_TEST_CASE(b3_close_step_changes_the_mdc_status_and_the_incident_status) {
    const B3 b = b3_trace();
    const auto changes = alertflow::traces::changed_fields(b.config, b.trace.states[3], b.trace.states[4]);
    const auto has = [&](const alertflow::traces::FieldChange& c) { return std::find(changes.begin(), changes.end(), c) != changes.end(); };
    BOOST_TEST(has({"alerts.A1.mdc_status", "Active", "Resolved"}));
    BOOST_TEST(has({"incidents[Azure Sentinel incident for A1].status", "New", "Closed"}));
    BOOST_TEST(has({"alerts.A1.history", "Active", "Active, Resolved"}));
    BOOST_TEST(has({"alerts.A1.subscription_connector_owes", "0", "1"}));
    BOOST_TEST(changes.size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_forwarded_row_is_an_appended_security_alert_row) {
    const B3 b = b3_trace();
    const auto changes = alertflow::traces::changed_fields(b.config, b.trace.states[4], b.trace.states[5]);
    const std::vector<alertflow::traces::FieldChange> expected{
        {"alerts.A1.security_alert_rows", "",
         "status: Resolved; writer: subscription connector; link: portal.azure.com; start_time_ok: true"},
        {"alerts.A1.subscription_connector_owes", "1", "0"},
    };
    BOOST_TEST(changes == expected, boost::test_tools::per_element());
    BOOST_TEST(alertflow::traces::describe_change(changes[0]) ==
               "alerts.A1.security_alert_rows: added status: Resolved; writer: subscription connector; "
               "link: portal.azure.com; start_time_ok: true");
    BOOST_TEST(alertflow::traces::describe_change(changes[1]) == "alerts.A1.subscription_connector_owes: 1 -> 0");
    const auto json = alertflow::traces::changes_json(changes);
    BOOST_TEST(json[1]["path"] == "alerts.A1.subscription_connector_owes");
    BOOST_TEST(json[1]["before"] == "1");
    BOOST_TEST(json[1]["after"] == "0");
}

BOOST_AUTO_TEST_CASE(a_new_incident_is_one_change_keyed_by_its_name) {
    const B3 b = b3_trace();
    const auto changes = alertflow::traces::changed_fields(b.config, b.trace.states[2], b.trace.states[3]);
    BOOST_TEST_REQUIRE(changes.size() == 1u);
    BOOST_TEST(changes[0].path == "incidents[Azure Sentinel incident for A1]");
    BOOST_TEST(changes[0].before == "");
    BOOST_TEST(changes[0].after == "status: New; provider: Azure Sentinel; made_by: incident creation rule; alerts: A1");
    BOOST_TEST(alertflow::traces::incident_label(b.trace.states[3].incidents[0]) == "Azure Sentinel incident for A1");
}

BOOST_AUTO_TEST_CASE(the_json_trace_carries_each_steps_changes) {
    const B3 b = b3_trace();
    const auto steps = alertflow::traces::trace_json(b.config, b.trace);
    BOOST_TEST_REQUIRE(steps.size() == 6u);
    BOOST_TEST(steps[0]["changes"].empty());
    BOOST_TEST(steps[4]["changes"].size() == 4u);
    BOOST_TEST(steps[4]["actor"] == "analyst");
    BOOST_TEST(steps[3]["changes"][0]["path"] == "incidents[Azure Sentinel incident for A1]");
}

BOOST_AUTO_TEST_CASE(an_unchanged_state_has_no_changes) {
    const B3 b = b3_trace();
    BOOST_TEST(alertflow::traces::changed_fields(b.config, b.trace.states[2], b.trace.states[2]).empty());
}

// ---------------------------------------------------------------- traces as sequence diagrams

BOOST_AUTO_TEST_CASE(b3_sequence_has_one_arrow_per_step_and_the_syncs_as_knock_ons) {
    const B3 b = b3_trace();
    const auto seq = pic::sequence_of(b.config, b.trace);
    using L = pic::Lifeline;
    const std::vector<L> participants{L::Mdc, L::SubscriptionConnector, L::IncidentCreationRule, L::SecurityAlertTable,
                                      L::SentinelIncidents, L::Analyst};
    BOOST_TEST((seq.participants == participants));
    BOOST_TEST(seq.steps == 5);
    const std::vector<pic::Message> expected{
        {1, L::Mdc, L::Mdc, "raise A1 in S1", false},
        {1, L::Mdc, L::SubscriptionConnector, "A1 is Active: 1 row to forward", true},
        {2, L::SubscriptionConnector, L::SecurityAlertTable, "A1 as New (row 1, portal.azure.com)", false},
        {3, L::IncidentCreationRule, L::SentinelIncidents,
         "create the Azure Sentinel incident for A1 from the subscription connector's row", false},
        {4, L::Analyst, L::SentinelIncidents, "close the Azure Sentinel incident for A1", false},
        {4, L::SentinelIncidents, L::Mdc, "sync: A1 becomes Resolved", true},
        {4, L::Mdc, L::SubscriptionConnector, "A1 is Resolved: 1 row to forward", true},
        {5, L::SubscriptionConnector, L::SecurityAlertTable, "A1 as Resolved (row 2, portal.azure.com)", false},
    };
    BOOST_TEST_REQUIRE(seq.messages.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST_CONTEXT("message " << i) {
            BOOST_TEST(seq.messages[i].step == expected[i].step);
            BOOST_TEST(seq.messages[i].label == expected[i].label);
            BOOST_TEST((seq.messages[i] == expected[i]));
        }
    }
}

BOOST_AUTO_TEST_CASE(b11_closing_in_xdr_syncs_mdc_and_the_sentinel_incident_as_knock_ons) {
    const auto config = cli::load_config(source_path("configs/b11_xdr_with_tenant_connector.yaml"));
    const model::System system(config);
    properties::Trace trace;
    trace.states.push_back(system.initial_states()[0]);
    for (const model::Action& a : {model::Action{ActionKind::RaiseAlert, 0, 0, 0}, model::Action{ActionKind::IngestInXdr, 0, 0, 0},
                                   model::Action{ActionKind::DeliverByTenantConnector, 0, 0, 0},
                                   model::Action{ActionKind::BringXdrIncident, 0, 0, 0},
                                   model::Action{ActionKind::CloseInXdr, 0, 0, 0}}) {
        trace.actions.push_back(a);
        trace.states.push_back(system.apply(trace.states.back(), a));
    }
    const auto seq = pic::sequence_of(config, trace);
    using L = pic::Lifeline;
    const std::vector<pic::Message> step5{
        {5, L::Analyst, L::DefenderXdr, "close the XDR incident of A1", false},
        {5, L::DefenderXdr, L::Mdc, "sync: A1 becomes Resolved", true},
        {5, L::XdrConnector, L::SentinelIncidents, "sync: the Microsoft Defender XDR incident for A1 becomes Closed", true},
    };
    BOOST_TEST_REQUIRE(seq.messages.size() >= step5.size());
    const std::vector<pic::Message> last(seq.messages.end() - static_cast<long>(step5.size()), seq.messages.end());
    for (std::size_t i = 0; i < step5.size(); ++i) {
        BOOST_TEST(last[i].label == step5[i].label);
        BOOST_TEST((last[i] == step5[i]));
    }
    BOOST_TEST(xml_problem(pic::sequence_svg(seq)) == "");
}

BOOST_AUTO_TEST_CASE(b3_trace_mermaid_matches_golden) {
    const B3 b = b3_trace();
    const std::string mermaid = pic::trace_mermaid(b.config, b.trace);
    BOOST_TEST(mermaid.rfind("sequenceDiagram\n", 0) == 0);
    check_golden("b03_trace_sequence.mmd", mermaid);
}

BOOST_AUTO_TEST_CASE(b3_trace_dot_matches_golden) {
    const B3 b = b3_trace();
    const std::string dot = pic::trace_dot(b.config, b.trace);
    BOOST_TEST(count(dot, "{") == count(dot, "}"));
    check_golden("b03_trace_sequence.dot", dot);
}

BOOST_AUTO_TEST_CASE(b3_trace_svg_matches_golden) {
    const B3 b = b3_trace();
    check_golden("b03_trace_sequence.svg", pic::trace_svg(b.config, b.trace));
}

BOOST_AUTO_TEST_CASE(trace_svg_is_well_formed_and_escapes_text) {
    const B3 b = b3_trace();
    const std::string svg = pic::trace_svg(b.config, b.trace);
    BOOST_TEST(xml_problem(svg) == "");
    BOOST_TEST(svg.find("subscription connector&apos;s row") != std::string::npos);
    BOOST_TEST(svg.find("connector's row") == std::string::npos);
    BOOST_TEST(count(svg, "<svg ") == 1u);
    BOOST_TEST(svg.find("width=\"") < svg.find("viewBox"));
}

BOOST_AUTO_TEST_CASE(a_trace_of_no_steps_still_draws) {
    const B3 b = b3_trace();
    properties::Trace empty{{b.trace.states[0]}, {}};
    const auto seq = pic::sequence_of(b.config, empty);
    BOOST_TEST(seq.participants.empty());
    BOOST_TEST(seq.steps == 0);
    BOOST_TEST(pic::trace_mermaid(b.config, empty) == "sequenceDiagram\n");
    BOOST_TEST(xml_problem(pic::trace_svg(b.config, empty)) == "");
    BOOST_TEST(pic::trace_dot(b.config, empty).find("digraph trace {") == 0u);
}

BOOST_AUTO_TEST_CASE(the_xml_checker_catches_what_it_is_for) {
    BOOST_TEST(xml_problem("<a><b/></a>") == "");
    BOOST_TEST(xml_problem("<a><b></a>") != "");
    BOOST_TEST(xml_problem("<a>x & y</a>") != "");
    BOOST_TEST(xml_problem("<a>x &amp; y</a>") == "");
    BOOST_TEST(xml_problem("<a t=\"<\"/>") != "");
    BOOST_TEST(xml_problem("<a>1 < 2</a>") != "");
}

// ---------------------------------------------------------------- components as state diagrams

BOOST_AUTO_TEST_CASE(mdc_alert_edges_are_its_transition_table_rows) {
    using E = model::Edge;
    const std::vector<E> expected{
        {"NotRaised", "Raised", "Active", "", ""},
        {"Active", "ResolvedByAnalyst", "Resolved", "", ""},
        {"Active", "DismissedByAnalyst", "Dismissed", "", ""},
        {"Active", "ClosedBySync", "Resolved", "", ""},
        {"Resolved", "ReopenedByAnalyst", "Active", "reopen_allowed", ""},
        {"Dismissed", "ReopenedByAnalyst", "Active", "reopen_allowed", ""},
    };
    const auto edges = model::transitions_of<model::mdc_alert::Machine_>();
    BOOST_TEST_REQUIRE(edges.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(edges[i].source == expected[i].source);
            BOOST_TEST(edges[i].event == expected[i].event);
            BOOST_TEST(edges[i].target == expected[i].target);
            BOOST_TEST(edges[i].guard == expected[i].guard);
            BOOST_TEST(edges[i].action == expected[i].action);
        }
    }
    const auto d = pic::component_diagram("mdc-alert");
    BOOST_TEST(d.initial == "NotRaised");
    BOOST_TEST(d.states == (std::vector<std::string>{"NotRaised", "Active", "Resolved", "Dismissed"}), boost::test_tools::per_element());
    BOOST_TEST((d.edges == expected));
}

BOOST_AUTO_TEST_CASE(a_guard_of_several_switches_names_them_all) {
    const auto d = pic::component_diagram("subscription-coverage");
    BOOST_TEST_REQUIRE(d.edges.size() == 3u);
    BOOST_TEST(d.edges[1].guard == "enabled and new_subscription_policy");
    BOOST_TEST(pic::edge_label(d.edges[1]) == "SubscriptionCreated [enabled and new_subscription_policy]");
    BOOST_TEST(d.edges[2].source == "Covered");
    BOOST_TEST(d.edges[2].target == "Covered");
}

BOOST_AUTO_TEST_CASE(the_registry_names_every_component) {
    const auto names = pic::component_names();
    BOOST_TEST_REQUIRE(names.size() == std::size(kComponents));
    for (std::size_t i = 0; i < names.size(); ++i) BOOST_TEST(names[i] == kComponents[i]);
}

BOOST_DATA_TEST_CASE(every_component_has_one_edge_per_table_row, boost::unit_test::data::make(kComponents), name) {
    const auto d = pic::component_diagram(name);
    BOOST_TEST(d.name == name);
    BOOST_TEST(d.edges.size() == table_sizes().at(name));
    BOOST_TEST(!d.states.empty());
    BOOST_TEST(d.states.front() == d.initial);
    for (const auto& e : d.edges) {
        BOOST_TEST(e.source.find("::") == std::string::npos);
        BOOST_TEST(e.event.find("::") == std::string::npos);
        BOOST_TEST(e.guard.find("SwitchesOn") == std::string::npos);
    }
    const std::string mermaid = pic::component_mermaid(d);
    BOOST_TEST(count(mermaid, " --> ") == d.edges.size() + 1);  // and the initial arrow
    const std::string dot = pic::component_dot(d);
    BOOST_TEST(count(dot, " -> ") == d.edges.size() + 1);
    const std::string svg = pic::component_svg(d);
    BOOST_TEST(xml_problem(svg) == "");
    for (const auto& s : d.states) BOOST_TEST(svg.find(">" + s + "</text>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_component_name_throws_with_the_valid_names) {
    try {
        pic::component_diagram("mdc-alerts");
        BOOST_ERROR("no exception for an unknown component");
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("'mdc-alerts'") != std::string::npos);
        for (const char* name : kComponents) BOOST_TEST(what.find(name) != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(mdc_alert_mermaid_matches_golden) {
    const std::string mermaid = pic::component_mermaid(pic::component_diagram("mdc-alert"));
    BOOST_TEST(mermaid.find("Resolved --> Active : ReopenedByAnalyst [reopen_allowed]") != std::string::npos);
    check_golden("mdc_alert_states.mmd", mermaid);
}

BOOST_AUTO_TEST_CASE(mdc_alert_dot_matches_golden) {
    check_golden("mdc_alert_states.dot", pic::component_dot(pic::component_diagram("mdc-alert")));
}

BOOST_AUTO_TEST_CASE(mdc_alert_svg_matches_golden) {
    check_golden("mdc_alert_states.svg", pic::component_svg(pic::component_diagram("mdc-alert")));
}

BOOST_AUTO_TEST_SUITE_END()
