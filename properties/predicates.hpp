#pragma once
// The predicates behind the catalog, one per property, over the global state.
#include "model/state.hpp"

namespace alertflow::properties::predicates {

bool exactly_one_incident(const model::State& s);
bool no_lost_alert(const model::State& s);
bool no_duplicate_incident(const model::State& s);
bool incident_has_alert(const model::State& s);
bool sentinel_close_reaches_mdc(const model::State& s);
bool mdc_close_reaches_sentinel(const model::State& s);
bool status_converges(const model::State& s);
bool no_duplicate_rows(const model::State& s);
bool every_alert_has_a_row(const model::State& s);
bool time_window_rule_sees_alert(const model::State& s);

}  // namespace alertflow::properties::predicates
