#include "model/security_alert_table.hpp"

namespace alertflow::model::security_alert_table {

Table make_table() { return derive_table<Table, Machine, Events>([](Machine&) {}); }

}  // namespace alertflow::model::security_alert_table
