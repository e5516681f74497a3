// The registry of component diagrams: the one translation unit that includes every component's
// MSM front-end (front-ends only: no back-end is instantiated, so it compiles quickly).
#include "pictures/components.hpp"

#include <stdexcept>

#include "model/automation_rule.hpp"
#include "model/defender_xdr.hpp"
#include "model/environment.hpp"
#include "model/incident_creation_rule.hpp"
#include "model/mdc_alert.hpp"
#include "model/security_alert_table.hpp"
#include "model/sentinel_incident.hpp"
#include "model/subscription_connector.hpp"
#include "model/tenant_connector.hpp"
#include "model/xdr_connector.hpp"

namespace alertflow::pictures {

namespace {

using namespace model;

struct Entry {
    std::string_view name;
    std::string_view title;
    std::string_view source;
    std::string_view instances;
    MachineDiagram (*read)();
};

// In the order of model/README.md's component table.
constexpr Entry kRegistry[] = {
    {"mdc-alert", "MDC alert", "model/mdc_alert.hpp, mdc_alert::Machine_", "one per alert",
     &diagram_of<mdc_alert::Machine_>},
    {"subscription-coverage", "Subscription-based connector: coverage",
     "model/subscription_connector.hpp, subscription_connector::CoverageMachine_", "one per subscription",
     &diagram_of<subscription_connector::CoverageMachine_>},
    {"subscription-forwarding", "Subscription-based connector: forwarding",
     "model/subscription_connector.hpp, subscription_connector::ForwardingMachine_", "one per alert: rows still owed",
     &diagram_of<subscription_connector::ForwardingMachine_>},
    {"tenant-connector", "Tenant-based connector", "model/tenant_connector.hpp, tenant_connector::Machine_",
     "one lane per alert", &diagram_of<tenant_connector::Machine_>},
    {"defender-xdr", "Defender XDR", "model/defender_xdr.hpp, defender_xdr::Machine_", "one per alert",
     &diagram_of<defender_xdr::Machine_>},
    {"xdr-connector", "XDR connector", "model/xdr_connector.hpp, xdr_connector::Machine_",
     "one per alert's XDR incident", &diagram_of<xdr_connector::Machine_>},
    {"incident-creation-rule", "Incident creation rule (and the time-window rule)",
     "model/incident_creation_rule.hpp, incident_creation_rule::Machine_", "one lane per alert id, per rule",
     &diagram_of<incident_creation_rule::Machine_>},
    {"security-alert-table", "SecurityAlert table", "model/security_alert_table.hpp, security_alert_table::Machine_",
     "presence per alert id", &diagram_of<security_alert_table::Machine_>},
    {"sentinel-incident", "Sentinel incident", "model/sentinel_incident.hpp, sentinel_incident::Machine_",
     "one per incident", &diagram_of<sentinel_incident::Machine_>},
    {"automation-rule", "Automation rule", "model/automation_rule.hpp, automation_rule::Machine_", "one",
     &diagram_of<automation_rule::Machine_>},
    {"subscription", "Subscription", "model/environment.hpp, environment::SubscriptionMachine_",
     "one per subscription", &diagram_of<environment::SubscriptionMachine_>},
    {"analysts", "Analysts", "model/environment.hpp, environment::AnalystsMachine_", "one for the SOC",
     &diagram_of<environment::AnalystsMachine_>},
};

}  // namespace

std::vector<std::string_view> component_names() {
    std::vector<std::string_view> names;
    for (const Entry& e : kRegistry) names.push_back(e.name);
    return names;
}

ComponentDiagram component_diagram(std::string_view name) {
    for (const Entry& e : kRegistry) {
        if (e.name != name) continue;
        MachineDiagram m = e.read();
        return {std::string(e.name), std::string(e.title), std::string(e.source), std::string(e.instances),
                std::move(m.initial), std::move(m.states), std::move(m.edges)};
    }
    std::string valid;
    for (const Entry& e : kRegistry) valid += (valid.empty() ? "" : ", ") + std::string(e.name);
    throw std::invalid_argument("unknown component '" + std::string(name) + "'; valid components: " + valid);
}

}  // namespace alertflow::pictures
