#pragma once
// What one step changed, field by field: the same facts for the text, JSON and picture forms.
//
// Derived generically from the state's JSON form (traces::state_json): both states are put in a
// keyed form (alerts and subscriptions by id, incidents by a readable name, lists of plain values
// as one value), diffed with nlohmann::json::diff, and each JSON patch operation is turned into a
// readable path with the old and the new value. A field added to state_json shows up here
// without a change to this file.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/system.hpp"
#include "properties/verify.hpp"

namespace alertflow::traces {

// path:   "alerts.A1.mdc_status", "incidents[Azure Sentinel incident for A1].status",
//         "alerts.A1.security_alert_rows" (a row appended: before is "", after is the row),
//         "incidents[Microsoft Defender XDR incident for A1]" (an incident made: before is "").
// before, after: the values as text; "" where the field or element did not (or no longer) exist.
struct FieldChange {
    std::string path;
    std::string before;
    std::string after;
    friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

// Every field that differs between two states, in the order of the paths.
std::vector<FieldChange> changed_fields(const model::Config& config, const model::State& before,
                                        const model::State& after);

// The readable name that keys an incident in paths: "Azure Sentinel incident for A1",
// "Microsoft Defender XDR incident for A1+A2", "Azure Sentinel incident for A1 (time-window rule)".
std::string incident_label(const model::Incident& incident);

// "alerts.A1.mdc_status: Active -> Resolved"; "...: added ..." / "...: removed ..." when a side is "".
std::string describe_change(const FieldChange& change);

// [{"path": ..., "before": ..., "after": ...}, ...]
nlohmann::json changes_json(const std::vector<FieldChange>& changes);

}  // namespace alertflow::traces
