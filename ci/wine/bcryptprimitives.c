/*
 * Minimal bcryptprimitives.dll for Wine 8.0, which lacks it.
 *
 * Rust's std (1.78 and later) imports bcryptprimitives.dll!ProcessPrng for random numbers
 * (HashMap seeds). Wine 8.0 has no such DLL, so a Rust .exe fails to load (c0000135). This stub
 * exports ProcessPrng and fills the buffer with RtlGenRandom (advapi32!SystemFunction036), in
 * chunks that fit its ULONG length. See docs: toolchain.md section 5.2.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

#define CHUNK_LIMIT 0x10000000u

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length != 0) {
        ULONG chunk = length > CHUNK_LIMIT ? CHUNK_LIMIT : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
