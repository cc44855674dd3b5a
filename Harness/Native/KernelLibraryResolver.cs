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
                    $"the kernel library {FileName} was not found; looked in: {string.Join(", ", candidates)}. " +
                    $"Build it with 'cmake --preset release && cmake --build --preset release' in native/, or set {EnvironmentVariable}.");
                builtInHandle = LoadOrThrow(found);
                BuiltInPath = found;
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

        return LoadOrThrow(fullPath);
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

    private static nint LoadOrThrow(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new KernelLibraryNotFoundException($"cannot load kernel library {path}: {e.Message}", e);
        }
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
