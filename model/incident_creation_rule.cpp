#include "model/incident_creation_rule.hpp"

namespace alertflow::model::incident_creation_rule {

Table make_table(bool enabled) {
    return derive_table<Table, Machine, Events>([&](Machine& m) { m.enabled = enabled; });
}

}  // namespace alertflow::model::incident_creation_rule
