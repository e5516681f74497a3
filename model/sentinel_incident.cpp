#include "model/sentinel_incident.hpp"

namespace alertflow::model::sentinel_incident {

Table make_table() { return derive_table<Table, Machine, Events>([](Machine&) {}); }

}  // namespace alertflow::model::sentinel_incident
