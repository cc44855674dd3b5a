using System.Reflection;
using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// Finds the native kernel library. Order: an explicit path (<see cref="ExplicitBuiltInPath"/>, e.g. --native-lib),
/// the HARNESS_NATIVE_LIB environment variable, next to the program, then native/build/{release,debug} in the
/// repository above the program. Out-of-tree libraries (--variant-lib) are only ever loaded from their explicit paths.
/// </summary>
public static class KernelLibraryResolver
{
    public const string EnvironmentVariable = "HARNESS_NATIVE_LIB";
    public const string FileName = "libbertkernels.so";

    private static readonly Lock Gate = new();
    private static nint builtInHandle;
    private static bool installed;

    /// <summary>An explicit path for the project's own library; set before the first call into it.</summary>
    public static string? ExplicitBuiltInPath { get; set; }

    /// <summary>Loads the project's library (once) and returns the path it came from.</summary>
    public static string LoadBuiltIn(out nint handle)
    {
        lock (Gate)
        {
            Install();
            if (builtInHandle == 0)
            {
                var candidates = Candidates().ToList();
                var found = candidates.FirstOrDefault(File.Exists) ?? throw new KernelLibraryNotFoundException(
                    $"the kernel library {FileName} was not found; looked in: {string.Join(", ", candidates)}{Origin()}. " +
                    $"Build it with 'cmake --preset release && cmake --build --preset release' in native/, or set {EnvironmentVariable}.");
                builtInHandle = LoadOrThrow(found, Origin());
                BuiltInPath = found;
            }
            else if (Origin().Length > 0 && Candidates().First() is var asked && asked != BuiltInPath)
            {
                // Only a process that runs several command lines (the tests) gets here: the library is loaded once
                // per process, so a later, different path is checked and refused rather than silently ignored.
                if (!File.Exists(asked))
                {
                    throw new KernelLibraryNotFoundException($"the kernel library {asked}{Origin()} does not exist");
                }

                NativeLibrary.Free(LoadOrThrow(asked, Origin()));
                throw new KernelLibraryNotFoundException($"{asked}{Origin()}: this process already uses the kernel library {BuiltInPath}");
            }

            handle = builtInHandle;
            return BuiltInPath!;
        }
    }

    public static string? BuiltInPath { get; private set; }

    /// <summary>
    /// Loads an out-of-tree library implementing bert_kernels.h from its full path and returns its handle. Any number
    /// may be loaded; their exports are looked up through the handle, never through the import resolver.
    /// </summary>
    public static nint LoadExternal(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new KernelLibraryNotFoundException($"--variant-lib: {fullPath} does not exist");
        }

        return LoadOrThrow(fullPath, " (from --variant-lib)");
    }

    private static IEnumerable<string> Candidates()
    {
        if (!string.IsNullOrEmpty(ExplicitBuiltInPath))
        {
            yield return Path.GetFullPath(ExplicitBuiltInPath);
            yield break;
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            yield return Path.GetFullPath(env);
            yield break;
        }

        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "native", "include")))
            {
                yield return Path.Combine(dir.FullName, "native", "build", "release", FileName);
                yield return Path.Combine(dir.FullName, "native", "build", "debug", FileName);
                yield break;
            }
        }
    }

    /// <summary>The exports every bert_kernels.h library has, whatever its ABI version.</summary>
    public static IReadOnlyList<string> RequiredExports { get; } = ["bk_abi_version", "bk_variant_count", "bk_variant_info_at", "bk_run", "bk_last_error"];

    /// <summary>Where the built-in library's path came from, as words to append to an error ("" for the default search).</summary>
    private static string Origin() =>
        !string.IsNullOrEmpty(ExplicitBuiltInPath) ? " (from --native-lib)"
        : !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? $" (from the environment variable {EnvironmentVariable})"
        : string.Empty;

    /// <summary>Loads <paramref name="path"/> and refuses, by name, a library that is not a bert_kernels library.</summary>
    private static nint LoadOrThrow(string path, string origin)
    {
        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new KernelLibraryNotFoundException($"cannot load kernel library {path}{origin}: {e.Message.Split('\n', 2)[0]}", e);
        }

        var missing = RequiredExports.Where(name => !NativeLibrary.TryGetExport(handle, name, out _)).ToList();
        if (missing.Count > 0)
        {
            NativeLibrary.Free(handle);
            throw new KernelLibraryNotFoundException(
                $"{path}{origin} is not a bert_kernels library: it lacks {string.Join(", ", missing)} of the {RequiredExports.Count} functions every native/include/bert_kernels.h library exports");
        }

        return handle;
    }

    private static void Install()
    {
        if (installed)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(KernelLibraryResolver).Assembly, Resolve);
        installed = true;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        BuiltInImports.LibraryName => builtInHandle,
        _ => 0,
    };
}
