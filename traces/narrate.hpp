#pragma once
// The domain's words for states and actions: what a SOC engineer reads in a counterexample.
// Alerts are A1, A2, ... (A1 is the first raised), subscriptions S1, S2, ...; SecurityAlert rows
// carry the table's own Status values (an Active MDC alert appears as New).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/system.hpp"

namespace alertflow::traces {

std::string alert_name(int alert);
std::string subscription_name(int subscription);
std::string mdc_status_name(model::mdc_alert::Status status);  // Active, Resolved, Dismissed
std::string row_status_name(model::mdc_alert::Status status);  // New, Resolved, Dismissed
std::string provider_name(model::IncidentOrigin origin);       // Azure Sentinel | Microsoft Defender XDR
std::string incident_name(const model::Incident& incident);    // "the Azure Sentinel incident for A1 (incident creation rule)"
std::string incident_status_name(model::sentinel_incident::Status status);

// The incident with this key (Incident::key), or nullptr.
const model::Incident* find_incident(const model::State& state, int key);
// The incident a step created: present after, absent before; nullptr if none.
const model::Incident* created_incident(const model::State& before, const model::State& after);

// One sentence for one step, naming the acting component and what changed.
std::string describe_step(const model::State& before, const model::Action& action, const model::State& after);

// The state in full: one line per subscription, alert, SecurityAlert row and incident.
std::vector<std::string> describe_state(const model::Config& config, const model::State& state);

// The state in full as JSON.
nlohmann::json state_json(const model::Config& config, const model::State& state);

}  // namespace alertflow::traces
