#pragma once
// Reading a connector set-up from YAML, and writing it back as JSON.
// The YAML keys are the field names of model::Config (see model/config.hpp); a key left out takes
// the field's default. Every bad input is reported as ONE line, `FILE:LINE: KEY: message`, so a
// user can jump straight to the mistake; nothing but ConfigError leaves this interface.
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "model/config.hpp"

namespace alertflow::cli {

// what() is the complete one-line message, ready to print.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The whole file, or ConfigError `PATH: cannot read file: REASON` (shared by every file reader).
std::string read_file(const std::string& path);

// Reads the YAML file at `path`; errors name the file as `path` was given.
model::Config load_config(const std::string& path);

// The same on text already in memory; `file_name` is only used in error messages.
model::Config parse_config(const std::string& yaml_text, const std::string& file_name);

// The YAML key structure as JSON (enums spelled as in YAML), for `--format json` output.
nlohmann::json to_json(const model::Config& config);

// The YAML spellings of the enumerations.
std::string to_string(model::XdrMdcAlerts value);
std::string to_string(model::Timing value);
std::string to_string(model::SyncScope value);

}  // namespace alertflow::cli
