/*
 * bk_timing.h — the whole contract of libbk_timing.so, the CUDA timer of `harness bench`.
 *
 * The timer drives any library implementing bert_kernels.h through that library's own bk_run (passed as a function
 * pointer), so it times the project's variants and out-of-tree ones alike. For one variant it:
 *   1. creates its own non-blocking stream and writes it into copies of the caller's K parameter sets, with
 *      BK_RUN_ASYNC set (each set already carries its own inputs, weights, outputs and workspace);
 *   2. warms up (`warmup` async runs cycling through the sets, then a synchronisation that surfaces any error);
 *   3. captures N = runs_per_graph back-to-back async runs (cycling through the sets) into a CUDA graph, instantiates
 *      it and replays it `samples` times, each replay between two CUDA events: graph_us[i] = elapsed / N;
 *   4. times `samples` single async runs (not in a graph), each between two CUDA events recorded on an idle stream
 *      (the stream is synchronised after each), so a single-run time includes the launch gaps a lone call sees.
 * L2 policy: BKT_L2_ROTATE relies on the K sets being larger than the L2 together (the caller sizes K); BKT_L2_FLUSH
 * also writes a flush buffer of flush_bytes (cudaMemsetAsync, outside the events) before every sample.
 *
 * Every exported function catches everything and returns a BKT_* status; bkt_last_error() gives the message of the
 * last failure on the calling thread. Streams, events, graphs and buffers are released on every path.
 */
#ifndef BK_TIMING_H
#define BK_TIMING_H

#include <stdint.h>

#include "bert_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define BKT_EXPORT __declspec(dllexport)
#else
#define BKT_EXPORT __attribute__((visibility("default")))
#endif

/* Bumped whenever a struct layout or a function signature below changes. */
#define BKT_ABI_VERSION 1

/* Status codes. */
#define BKT_OK 0
#define BKT_ERR_INVALID_ARGUMENT 1 /* a null pointer, a count out of range, an unknown policy */
#define BKT_ERR_NO_DEVICE 2        /* no CUDA device (or no driver) on this machine */
#define BKT_ERR_RUN 3              /* the variant's bk_run returned an error outside capture (warm-up or single runs) */
#define BKT_ERR_CAPTURE 4          /* graph capture failed: bk_run failed, or the variant synchronised, allocated or
                                      used another stream while captured; the message names the run and the call */
#define BKT_ERR_DEVICE 5           /* any other CUDA call failed; the message names it and holds CUDA's error string */
#define BKT_ERR_INTERNAL 6         /* anything else */

/* L2 policies (bkt_request.l2_policy). */
#define BKT_L2_ROTATE 0 /* cycle through the K parameter sets only */
#define BKT_L2_FLUSH 1  /* cycle through the sets and also overwrite a flush buffer before every sample */

/* bk_run and bk_last_error of the library under test, as bert_kernels.h declares them. */
typedef int32_t (*bkt_run_fn)(const char* name, const bk_params* params);
typedef const char* (*bkt_last_error_fn)(void);

/* What to time. Zero-initialise, then set every field; pointers stay owned by the caller. */
typedef struct bkt_request {
    int32_t abi_version;          /* = BKT_ABI_VERSION */
    int32_t struct_size;          /* = sizeof(bkt_request) */
    bkt_run_fn run;               /* required. the bk_run of the library that holds the variant */
    bkt_last_error_fn last_error; /* that library's bk_last_error, quoted in failure messages; null = not quoted */
    const char* variant;          /* required. variant name passed to run */
    const bk_params* param_sets;  /* required. K complete parameter sets; stream and run_flags are overwritten in copies */
    int32_t param_set_count;      /* K >= 1 */
    int32_t runs_per_graph;       /* N >= 1: back-to-back runs captured in one graph */
    int32_t samples;              /* >= 1 graph replays, and as many single runs */
    int32_t warmup;               /* >= 0 untimed async runs before capture */
    int32_t l2_policy;            /* BKT_L2_* */
    int32_t reserved;             /* zero */
    uint64_t flush_bytes;         /* bytes of the flush buffer for BKT_L2_FLUSH (ignored for BKT_L2_ROTATE) */
} bkt_request;

/* Results; the arrays are allocated by the caller with `capacity` elements each. */
typedef struct bkt_samples {
    int32_t capacity;    /* elements available in each array below; must be >= request.samples */
    int32_t count;       /* filled by the timer: samples written to each array */
    double* graph_us;    /* required. per-run microseconds of each graph replay (replay time / N) */
    double* single_us;   /* required. microseconds of each single async run between its own event pair */
    int64_t graph_nodes; /* filled by the timer: nodes in the captured graph (0 would mean nothing was enqueued) */
} bkt_samples;

/* The device the timer runs on (the calling thread's current CUDA device). */
typedef struct bkt_device_props {
    char name[256];            /* e.g. "NVIDIA H100 80GB HBM3", NUL-terminated */
    int32_t ordinal;           /* CUDA device ordinal */
    int32_t sm_count;          /* streaming multiprocessors */
    int32_t cc_major;          /* compute capability, major */
    int32_t cc_minor;          /* compute capability, minor */
    int64_t l2_bytes;          /* L2 cache size in bytes */
    int64_t global_mem_bytes;  /* device memory in bytes */
    int32_t runtime_version;   /* CUDA runtime this library was built with, e.g. 12040 */
    int32_t driver_version;    /* CUDA version the driver supports, e.g. 12080 */
} bkt_device_props;

/* BKT_ABI_VERSION of this library. */
BKT_EXPORT int32_t bkt_abi_version(void);

/* Number of CUDA devices (0 with BKT_OK when the driver reports none or is missing). */
BKT_EXPORT int32_t bkt_device_count(int32_t* count);

/* Describes the current CUDA device. */
BKT_EXPORT int32_t bkt_device_properties(bkt_device_props* props);

/* Times request->variant as described at the top of this file; fills *samples. */
BKT_EXPORT int32_t bkt_time_variant(const bkt_request* request, bkt_samples* samples);

/* Message of the last failing call on this thread ("" if none). Valid until the next call on this thread. */
BKT_EXPORT const char* bkt_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* BK_TIMING_H */
