#ifndef CTNN_TEST_FUZZ_MEMORY_FILE_HPP
#define CTNN_TEST_FUZZ_MEMORY_FILE_HPP

// The fuzzers' input as a file that the readers open by name: an in-memory
// file (memfd_create), reached as /proc/self/fd/<n>. A file on disk that is
// truncated and written again for every input makes the file system flush
// it each time, which would hold the fuzzers to a few hundred inputs a
// second. Linux only, as the fuzz tests are.

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace ctnn_fuzz {

class memory_file {
public:
    memory_file() : fd_(::memfd_create("ctnn_fuzz_input", 0)), path_("/proc/self/fd/" + std::to_string(fd_))
    {
        if (fd_ < 0) {
            std::abort();
        }
    }
    memory_file(memory_file const&) = delete;
    memory_file& operator=(memory_file const&) = delete;
    ~memory_file() { ::close(fd_); }

    [[nodiscard]] std::string const& path() const noexcept { return path_; }

    // Replaces the file's bytes with `data`.
    void write(std::uint8_t const* data, std::size_t size) const
    {
        clear();
        if (size != 0 && ::pwrite(fd_, data, size, 0) != static_cast<::ssize_t>(size)) {
            std::abort();
        }
    }

    // Replaces the file's bytes with `data`, gzip-compressed.
    void write_gzip(std::uint8_t const* data, std::size_t size) const
    {
        clear();
        gzFile packed = ::gzdopen(::dup(fd_), "wb");
        if (packed == nullptr || (size != 0 && ::gzwrite(packed, data, static_cast<unsigned>(size)) == 0) ||
            ::gzclose(packed) != Z_OK) {
            std::abort();
        }
    }

private:
    void clear() const
    {
        if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
            std::abort();
        }
    }

    int fd_;
    std::string path_;
};

} // namespace ctnn_fuzz

#endif
