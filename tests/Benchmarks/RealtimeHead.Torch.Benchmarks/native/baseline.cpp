// The RealtimeHead.Torch benchmark workloads written directly against libtorch's C++ API: the baseline that the
// C# binding is compared with. Same shapes, same ops, same warm-up and iteration counts (passed by the C# app),
// same timing method (steady clock around each sample of INNER operations).
//
// Usage: torch_baseline [--serve] --threads 1,2 --case NAME WARMUP ITERATIONS INNER [--case ...]
// Prints "INFO libtorch <version>", then one line per (threads, case): "SAMPLES <case> <threads> <s> <s> ...",
// each value seconds per operation, then "END". With --serve it stays up and runs one more round per "round" line
// on stdin, so, like the C# process, it is warm from the second round on (allocator and page state of a fresh
// process make the first iterations of a case up to 2x slower). The C# app pools these with its own samples and computes the statistics, so
// both sides are summarised by the same code.

#include <torch/torch.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct CaseSpec {
    std::string name;
    int warmup = 0;
    int iterations = 0;
    int inner = 1;  // operations per timed sample (tiny ops are timed in batches)
};

constexpr double kMinWarmupSeconds = 0.3;

// Runs body (one operation) untimed at least warmup times and for kMinWarmupSeconds, then iterations samples of
// inner operations each.
std::vector<double> measure(const CaseSpec& spec, const std::function<void()>& body) {
    const auto warmup_start = std::chrono::steady_clock::now();
    for (int i = 0; i < spec.warmup ||
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - warmup_start).count() < kMinWarmupSeconds;
         ++i) {
        body();
    }
    std::vector<double> samples;
    samples.reserve(static_cast<size_t>(spec.iterations));
    for (int i = 0; i < spec.iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        for (int j = 0; j < spec.inner; ++j) body();
        const auto stop = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double>(stop - start).count() / spec.inner);
    }
    return samples;
}

std::function<void()> make_case(const std::string& name) {
    if (name == "matmul_98304x64x64" || name == "matmul_1024") {
        const bool tall = name == "matmul_98304x64x64";
        auto a = torch::randn({tall ? 98304 : 1024, tall ? 64 : 1024});
        auto b = torch::randn({tall ? 64 : 1024, tall ? 64 : 1024});
        return [a, b] { auto c = torch::matmul(a, b); };
    }
    if (name == "mlp_fwd_bwd") {
        // NeRF-sized field MLP: 4 x (Linear 64->64 + ReLU) over 98304 points, MSE loss, backward.
        torch::nn::Sequential model(torch::nn::Linear(64, 64), torch::nn::ReLU(), torch::nn::Linear(64, 64), torch::nn::ReLU(),
                                    torch::nn::Linear(64, 64), torch::nn::ReLU(), torch::nn::Linear(64, 64), torch::nn::ReLU());
        auto x = torch::randn({98304, 64});
        auto target = torch::randn({98304, 64});
        return [model, x, target]() mutable {
            for (auto& p : model->parameters()) p.mutable_grad().reset();
            auto loss = torch::mse_loss(model->forward(x), target);
            loss.backward();
        };
    }
    if (name == "grid_sample") {
        // Tri-plane lookup: three 64x64 planes of 32 channels, 98304 points each, bilinear, zeros, align_corners=false.
        auto planes = torch::randn({3, 32, 64, 64});
        auto grid = torch::rand({3, 1, 98304, 2}) * 2 - 1;
        return [planes, grid] { auto out = at::grid_sampler(planes, grid, 0, 0, false); };
    }
    if (name == "tiny_add") {
        auto a = torch::ones({1});
        auto b = torch::ones({1});
        return [a, b] { auto c = torch::add(a, b); };
    }
    return nullptr;
}

// at::set_num_threads sizes libtorch's own pool; Debian's libtorch does its GEMMs in OpenBLAS, whose pool it leaves
// alone, so a "1 thread" matmul would still use every core. The C# side pins OpenBLAS the same way.
bool set_blas_threads(int n) {
    using SetThreads = void (*)(int);
    auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set == nullptr) return false;
    set(n);
    return true;
}

std::vector<int> parse_threads(const std::string& text) {
    std::vector<int> threads;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) threads.push_back(std::stoi(item));
    return threads;
}

// One round: every case at every thread count, fresh tensors per case.
int run_round(const std::vector<int>& threads, const std::vector<CaseSpec>& cases) {
    for (const int n : threads) {
        at::set_num_threads(n);
        std::printf("INFO openblas_threads_pinned %d\n", set_blas_threads(n) ? 1 : 0);
        for (const auto& spec : cases) {
            torch::manual_seed(1);
            const auto body = make_case(spec.name);
            if (!body) {
                std::fprintf(stderr, "unknown case %s\n", spec.name.c_str());
                return 2;
            }
            std::printf("SAMPLES %s %d", spec.name.c_str(), n);
            for (const double sample : measure(spec, body)) std::printf(" %.9g", sample);
            std::printf("\n");
            std::fflush(stdout);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> threads{1};
    std::vector<CaseSpec> cases;
    bool serve = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--serve") {
            serve = true;
        } else if (arg == "--threads" && i + 1 < argc) {
            threads = parse_threads(argv[++i]);
        } else if (arg == "--case" && i + 4 < argc) {
            CaseSpec spec;
            spec.name = argv[++i];
            spec.warmup = std::atoi(argv[++i]);
            spec.iterations = std::atoi(argv[++i]);
            spec.inner = std::atoi(argv[++i]);
            cases.push_back(spec);
        } else {
            std::fprintf(stderr, "usage: %s [--serve] --threads 1,2 --case NAME WARMUP ITERATIONS INNER [--case ...]\n", argv[0]);
            return 2;
        }
    }

    std::printf("INFO libtorch %s\n", TORCH_VERSION);
    std::string command;
    do {
        if (run_round(threads, cases) != 0) return 2;
        std::printf("END\n");
        std::fflush(stdout);
    } while (serve && std::getline(std::cin, command) && command == "round");
    return 0;
}
