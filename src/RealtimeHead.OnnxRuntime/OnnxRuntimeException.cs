namespace RealtimeHead.OnnxRuntime;

/// <summary>A failed ONNX Runtime call: the <c>OrtStatus</c>'s code and message, or a check made by this binding.</summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode errorCode, string message)
        : base($"[ErrorCode:{errorCode}] {message}") => ErrorCode = errorCode;

    /// <summary>The C API's error category.</summary>
    public OrtErrorCode ErrorCode { get; }
}
