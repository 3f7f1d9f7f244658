// Programs that must fail, to prove the test harness catches each way a
// firmware run can go wrong (built with one of these defined):
//   CTNN_FW_FAULT   a bus fault: the fault handler ends the run with status 1
//   CTNN_FW_MALLOC  a heap allocation: the --wrap guard ends the run with status 97
//   CTNN_FW_HANG    an endless loop: the harness's timeout ends the run

#include "semihost_out.hpp"

#include <cstdint>
#include <cstdlib>

int main()
{
    fw::put("misbehaving\n");
#if defined(CTNN_FW_FAULT)
    // Nothing is mapped at the top of the address space.
    return static_cast<int>(*reinterpret_cast<volatile std::uint32_t*>(0xFFFFFFF0U));
#elif defined(CTNN_FW_MALLOC)
    void* volatile p = std::malloc(16);
    return p == nullptr ? 3 : 4;
#else
    for (;;) {
        asm volatile("" ::: "memory");
    }
#endif
}
