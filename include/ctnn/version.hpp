#ifndef CTNN_VERSION_HPP
#define CTNN_VERSION_HPP

/// \file
/// ctnn's version; matches `project(ctnn VERSION ...)` in CMakeLists.txt (a test checks it).
/// Generated model headers (`ctnn::io::write_header`) assert the major and minor version.

#define CTNN_VERSION_MAJOR 0
#define CTNN_VERSION_MINOR 2
#define CTNN_VERSION_PATCH 0

namespace ctnn {

/// The version as one number, major * 10000 + minor * 100 + patch.
inline constexpr unsigned version = CTNN_VERSION_MAJOR * 10000U + CTNN_VERSION_MINOR * 100U + CTNN_VERSION_PATCH;

} // namespace ctnn

#endif
