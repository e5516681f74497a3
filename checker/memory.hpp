#pragma once
// The process's memory, as the operating system counts it (Linux).
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>

namespace alertflow::checker {

// Resident memory now, from /proc/self/statm; 0 where that file cannot be read.
inline std::uint64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t total_pages = 0;
    std::uint64_t resident_pages = 0;
    statm >> total_pages >> resident_pages;
    return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

// Peak resident memory over the process's life so far.
inline std::uint64_t peak_resident_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace alertflow::checker
