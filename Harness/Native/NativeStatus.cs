namespace Harness.Native;

/// <summary>The one place that turns a BK_* status into a typed exception.</summary>
public static class NativeStatus
{
    public static void ThrowIfFailed(int status, string operation, Func<string> lastError)
    {
        if (status == BkConstants.Ok)
        {
            return;
        }

        var detail = lastError();
        var message = string.IsNullOrEmpty(detail) ? $"{operation} failed with status {status}" : $"{operation}: {detail}";
        throw status switch
        {
            BkConstants.ErrInvalidArgument => new KernelArgumentException(message),
            BkConstants.ErrUnsupportedShape => new UnsupportedShapeException(message),
            BkConstants.ErrUnknownVariant => new UnknownVariantException(message),
            BkConstants.ErrAbiMismatch => new AbiMismatchException(message),
            BkConstants.ErrDevice => new KernelDeviceException(message),
            BkConstants.ErrWorkspace => new KernelWorkspaceException(message),
            _ => new KernelInternalException(status, message),
        };
    }
}
