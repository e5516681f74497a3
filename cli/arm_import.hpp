#pragma once
// Reading a real Sentinel deployment: an ARM template, a REST list export or a bare JSON array of
// a workspace's resources, mapped onto model::Config.
//
// The file decides the connector and rule switches (a connector or rule it lacks is off: the file
// describes the whole workspace); everything it cannot express (XDR's MDC alert setting, the sync,
// the new-subscription policy, scope, analysts, timing, faults) comes from an optional YAML overlay,
// an ordinary alertflow configuration, or the defaults of model::Config. The reading lists what
// was recognised, what was ignored and why, and notes on what the model leaves out and where each
// setting came from, so the user sees how the file was read.
//
// Bad input throws ConfigError with ONE line naming the file and the resource
// (`t.json: resource 'TYPE' 'NAME': KEY: message`, or `t.json:LINE: not valid JSON: ...`); a file
// read only in part never produces a configuration.
#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"

namespace alertflow::cli {

struct ArmReading {
    model::Config config;
    std::vector<std::string> recognised;  // "resource 'TYPE' 'NAME': what it was read as"
    std::vector<std::string> ignored;     // "resource 'TYPE' 'NAME': why it plays no part"
    std::vector<std::string> notes;       // what the model leaves out; where each setting came from
};

// Reads the JSON file at `template_path`, over the overlay at `overlay_path` (loaded with
// load_config) or, without one, over the defaults of model::Config.
ArmReading read_arm(const std::string& template_path, const std::optional<std::string>& overlay_path);

// The same on JSON text already in memory, over `base` (its settings that differ from the defaults
// count as set, for the notes); `file_name` is only used in messages.
ArmReading read_arm_text(const std::string& json_text, const std::string& file_name, const model::Config& base);

// The reading as lines for the user: "recognised: ...", then "ignored: ...", then "note: ...".
std::vector<std::string> describe_reading(const ArmReading& reading);

}  // namespace alertflow::cli
