// libbk_timing.so: CUDA-event timing of any bert_kernels.h variant, single async runs and CUDA graphs of N runs.
// The contract and the procedure are in bk_timing.h. Every CUDA object lives in an owner below, so every path
// (success, a failing run, a failed capture, an exception) releases it.
#include "bk_timing.h"

#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

namespace {

thread_local std::string last_error;

struct TimingError {
    int32_t status;
    std::string message;
};

[[noreturn]] void fail(int32_t status, std::string message) { throw TimingError{status, std::move(message)}; }

void check(cudaError_t e, const char* call) {
    if (e != cudaSuccess) {
        fail(BKT_ERR_DEVICE, std::string(call) + ": " + cudaGetErrorString(e));
    }
}

struct Stream {
    cudaStream_t s = nullptr;
    Stream() { check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags"); }
    ~Stream() { cudaStreamDestroy(s); }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
};

struct Events {
    std::vector<cudaEvent_t> e;
    explicit Events(size_t n) {
        e.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            cudaEvent_t ev = nullptr;
            check(cudaEventCreate(&ev), "cudaEventCreate");
            e.push_back(ev);
        }
    }
    ~Events() {
        for (auto ev : e) cudaEventDestroy(ev);
    }
    Events(const Events&) = delete;
    Events& operator=(const Events&) = delete;
};

struct Graph {
    cudaGraph_t g = nullptr;
    cudaGraphExec_t exec = nullptr;
    Graph() = default;
    ~Graph() {
        if (exec) cudaGraphExecDestroy(exec);
        if (g) cudaGraphDestroy(g);
    }
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
};

struct DeviceBuffer {
    void* p = nullptr;
    explicit DeviceBuffer(uint64_t bytes) {
        if (bytes > 0) check(cudaMalloc(&p, bytes), "cudaMalloc (L2 flush buffer)");
    }
    ~DeviceBuffer() {
        if (p) cudaFree(p);
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
};

// A capture left open (an exception between begin and end) is ended so that the stream can be destroyed.
struct CaptureGuard {
    cudaStream_t s;
    bool open = true;
    ~CaptureGuard() {
        if (open) {
            cudaGraph_t g = nullptr;
            cudaStreamEndCapture(s, &g);
            if (g) cudaGraphDestroy(g);
            cudaGetLastError();
        }
    }
};

std::string library_error(const bkt_request& r) {
    const char* m = r.last_error ? r.last_error() : nullptr;
    return (m && *m) ? std::string(m) : std::string("(the library gave no message)");
}

void run_once(const bkt_request& r, const bk_params& p, const char* phase, int32_t index) {
    const int32_t status = r.run(r.variant, &p);
    if (status != BK_OK) {
        fail(BKT_ERR_RUN, std::string("bk_run('") + r.variant + "') returned status " + std::to_string(status) + " in " +
                              phase + " run " + std::to_string(index) + ": " + library_error(r));
    }
}

void validate(const bkt_request* r, const bkt_samples* out) {
    if (!r || !out) fail(BKT_ERR_INVALID_ARGUMENT, "request and samples are required");
    if (r->abi_version != BKT_ABI_VERSION || r->struct_size != static_cast<int32_t>(sizeof(bkt_request))) {
        fail(BKT_ERR_INVALID_ARGUMENT, "request.abi_version/struct_size are " + std::to_string(r->abi_version) + "/" +
                                           std::to_string(r->struct_size) + ", this library implements " +
                                           std::to_string(BKT_ABI_VERSION) + "/" + std::to_string(sizeof(bkt_request)));
    }
    if (!r->run || !r->variant || !r->param_sets) fail(BKT_ERR_INVALID_ARGUMENT, "request.run, variant and param_sets are required");
    if (r->param_set_count < 1 || r->runs_per_graph < 1 || r->samples < 1 || r->warmup < 0) {
        fail(BKT_ERR_INVALID_ARGUMENT, "need param_set_count >= 1, runs_per_graph >= 1, samples >= 1, warmup >= 0");
    }
    if (r->l2_policy != BKT_L2_ROTATE && r->l2_policy != BKT_L2_FLUSH) {
        fail(BKT_ERR_INVALID_ARGUMENT, "unknown l2_policy " + std::to_string(r->l2_policy));
    }
    if (r->l2_policy == BKT_L2_FLUSH && r->flush_bytes == 0) fail(BKT_ERR_INVALID_ARGUMENT, "BKT_L2_FLUSH needs flush_bytes > 0");
    if (!out->graph_us || !out->single_us || out->capacity < r->samples) {
        fail(BKT_ERR_INVALID_ARGUMENT, "samples.graph_us and single_us are required, with capacity >= request.samples");
    }
}

void flush_l2(const bkt_request& r, const DeviceBuffer& flush, cudaStream_t s) {
    if (r.l2_policy == BKT_L2_FLUSH) {
        check(cudaMemsetAsync(flush.p, static_cast<int>(r.flush_bytes & 0xff) ^ 0x5a, r.flush_bytes, s), "cudaMemsetAsync (L2 flush)");
    }
}

void capture(const bkt_request& r, const std::vector<bk_params>& sets, cudaStream_t s, Graph& graph) {
    // Thread-local mode: a variant that synchronises or allocates on this thread while captured gets an error (and the
    // capture is invalidated) instead of silently breaking the graph.
    check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    CaptureGuard guard{s};
    const std::string name = std::string("bk_run('") + r.variant + "')";
    for (int32_t i = 0; i < r.runs_per_graph; ++i) {
        const int32_t status = r.run(r.variant, &sets[static_cast<size_t>(i % r.param_set_count)]);
        if (status != BK_OK) {
            fail(BKT_ERR_CAPTURE, name + " failed during graph capture (run " + std::to_string(i + 1) + " of " +
                                      std::to_string(r.runs_per_graph) + ", status " + std::to_string(status) + "): " +
                                      library_error(r) + " (a captured run must not synchronise, allocate or use another stream)");
        }
        cudaStreamCaptureStatus state = cudaStreamCaptureStatusNone;
        const cudaError_t e = cudaStreamIsCapturing(s, &state);
        if (e != cudaSuccess || state != cudaStreamCaptureStatusActive) {
            fail(BKT_ERR_CAPTURE, name + " returned OK but invalidated the graph capture (run " + std::to_string(i + 1) + " of " +
                                      std::to_string(r.runs_per_graph) + "; " + cudaGetErrorString(e == cudaSuccess ? cudaErrorStreamCaptureInvalidated : e) +
                                      "): it synchronised, allocated or waited on another stream while captured");
        }
    }
    guard.open = false;
    const cudaError_t end = cudaStreamEndCapture(s, &graph.g);
    if (end != cudaSuccess) {
        cudaGetLastError();
        fail(BKT_ERR_CAPTURE, "cudaStreamEndCapture after " + std::to_string(r.runs_per_graph) + " runs of " + name + ": " +
                                  cudaGetErrorString(end) + " (the variant broke the capture: a synchronisation, allocation or unjoined stream)");
    }
    size_t nodes = 0;
    check(cudaGraphGetNodes(graph.g, nullptr, &nodes), "cudaGraphGetNodes");
    if (nodes == 0) {
        fail(BKT_ERR_CAPTURE, "the graph captured from " + name + " is empty: the variant did not enqueue its work on params.stream");
    }
    check(cudaGraphInstantiate(&graph.exec, graph.g, nullptr, nullptr, 0), "cudaGraphInstantiate");
}

double elapsed_us(cudaEvent_t a, cudaEvent_t b) {
    float ms = 0.0f;
    check(cudaEventElapsedTime(&ms, a, b), "cudaEventElapsedTime");
    return static_cast<double>(ms) * 1000.0;
}

void time_variant(const bkt_request& r, bkt_samples& out) {
    out.count = 0;
    out.graph_nodes = 0;
    Stream stream;
    std::vector<bk_params> sets(r.param_sets, r.param_sets + r.param_set_count);
    for (auto& p : sets) {
        p.stream = stream.s;
        p.run_flags |= BK_RUN_ASYNC;
    }
    DeviceBuffer flush(r.l2_policy == BKT_L2_FLUSH ? r.flush_bytes : 0);

    for (int32_t i = 0; i < r.warmup; ++i) run_once(r, sets[static_cast<size_t>(i % r.param_set_count)], "warm-up", i + 1);
    check(cudaStreamSynchronize(stream.s), "cudaStreamSynchronize after warm-up (an error inside the variant's kernels)");

    Graph graph;
    capture(r, sets, stream.s, graph);
    size_t nodes = 0;
    check(cudaGraphGetNodes(graph.g, nullptr, &nodes), "cudaGraphGetNodes");
    out.graph_nodes = static_cast<int64_t>(nodes);
    // One untimed replay uploads the graph to the device.
    check(cudaGraphLaunch(graph.exec, stream.s), "cudaGraphLaunch (first replay)");
    check(cudaStreamSynchronize(stream.s), "cudaStreamSynchronize after the first graph replay");

    const auto n = static_cast<size_t>(r.samples);
    Events graph_events(2 * n);
    for (size_t i = 0; i < n; ++i) {
        flush_l2(r, flush, stream.s);
        check(cudaEventRecord(graph_events.e[2 * i], stream.s), "cudaEventRecord");
        check(cudaGraphLaunch(graph.exec, stream.s), "cudaGraphLaunch");
        check(cudaEventRecord(graph_events.e[2 * i + 1], stream.s), "cudaEventRecord");
    }
    check(cudaStreamSynchronize(stream.s), "cudaStreamSynchronize after the graph replays");
    for (size_t i = 0; i < n; ++i) {
        out.graph_us[i] = elapsed_us(graph_events.e[2 * i], graph_events.e[2 * i + 1]) / r.runs_per_graph;
    }

    Events single_events(2);
    for (size_t i = 0; i < n; ++i) {
        flush_l2(r, flush, stream.s);
        check(cudaEventRecord(single_events.e[0], stream.s), "cudaEventRecord");
        run_once(r, sets[i % sets.size()], "single", static_cast<int32_t>(i + 1));
        check(cudaEventRecord(single_events.e[1], stream.s), "cudaEventRecord");
        check(cudaEventSynchronize(single_events.e[1]), "cudaEventSynchronize after a single run");
        out.single_us[i] = elapsed_us(single_events.e[0], single_events.e[1]);
    }
    out.count = r.samples;
}

template <typename F>
int32_t shim(F&& body) {
    try {
        last_error.clear();
        body();
        return BKT_OK;
    } catch (const TimingError& e) {
        last_error = e.message;
        return e.status;
    } catch (const std::bad_alloc&) {
        last_error = "out of host memory";
        return BKT_ERR_INTERNAL;
    } catch (const std::exception& e) {
        last_error = e.what();
        return BKT_ERR_INTERNAL;
    } catch (...) {
        last_error = "unknown exception";
        return BKT_ERR_INTERNAL;
    }
}

}  // namespace

extern "C" {

BKT_EXPORT int32_t bkt_abi_version(void) { return BKT_ABI_VERSION; }

BKT_EXPORT int32_t bkt_device_count(int32_t* count) {
    return shim([&] {
        if (!count) fail(BKT_ERR_INVALID_ARGUMENT, "count is required");
        int n = 0;
        const cudaError_t e = cudaGetDeviceCount(&n);
        if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver) {
            cudaGetLastError();
            n = 0;
        } else {
            check(e, "cudaGetDeviceCount");
        }
        *count = n;
    });
}

BKT_EXPORT int32_t bkt_device_properties(bkt_device_props* props) {
    return shim([&] {
        if (!props) fail(BKT_ERR_INVALID_ARGUMENT, "props is required");
        std::memset(props, 0, sizeof(*props));
        int n = 0;
        if (cudaGetDeviceCount(&n) != cudaSuccess || n == 0) {
            cudaGetLastError();
            fail(BKT_ERR_NO_DEVICE, "no CUDA device");
        }
        int device = 0;
        check(cudaGetDevice(&device), "cudaGetDevice");
        cudaDeviceProp p{};
        check(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
        std::snprintf(props->name, sizeof(props->name), "%s", p.name);
        props->ordinal = device;
        props->sm_count = p.multiProcessorCount;
        props->cc_major = p.major;
        props->cc_minor = p.minor;
        props->l2_bytes = p.l2CacheSize;
        props->global_mem_bytes = static_cast<int64_t>(p.totalGlobalMem);
        int runtime = 0;
        int driver = 0;
        check(cudaRuntimeGetVersion(&runtime), "cudaRuntimeGetVersion");
        check(cudaDriverGetVersion(&driver), "cudaDriverGetVersion");
        props->runtime_version = runtime;
        props->driver_version = driver;
    });
}

BKT_EXPORT int32_t bkt_time_variant(const bkt_request* request, bkt_samples* samples) {
    return shim([&] {
        validate(request, samples);
        int n = 0;
        if (cudaGetDeviceCount(&n) != cudaSuccess || n == 0) {
            cudaGetLastError();
            fail(BKT_ERR_NO_DEVICE, "no CUDA device");
        }
        time_variant(*request, *samples);
    });
}

BKT_EXPORT const char* bkt_last_error(void) { return last_error.c_str(); }

}  // extern "C"
