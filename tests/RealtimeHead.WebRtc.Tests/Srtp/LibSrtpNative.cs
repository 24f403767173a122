using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RealtimeHead.WebRtc.Tests.Srtp;

/// <summary>
/// libsrtp2 (Debian libsrtp2-1 2.5, soname <c>libsrtp2.so.1</c>) as the test oracle for the managed
/// SRTP code. Declarations follow /usr/include/srtp2/srtp.h.
/// </summary>
/// <remarks>
/// The library is opened by its exact soname with <see cref="NativeLibrary.Load(string)"/> and the
/// exports are called through function pointers rather than <c>[LibraryImport]</c> plus
/// <see cref="NativeLibrary.SetDllImportResolver"/>: a resolver is one per assembly, and this test
/// assembly is shared with other protocol folders that may need their own.
/// </remarks>
internal static unsafe class LibSrtpNative
{
    public const string SoName = "libsrtp2.so.1";

    /// <summary>SRTP_MAX_TRAILER_LEN (SRTP_MAX_TAG_LEN 16 + SRTP_MAX_MKI_LEN 128): spare bytes protect may append.</summary>
    public const int MaxTrailerLength = 144;

    // srtp_err_status_t (srtp.h "srtp_err_status_ok = 0" ...).
    public const int StatusOk = 0;
    public const int StatusAuthFail = 7;
    public const int StatusReplayFail = 9;
    public const int StatusReplayOld = 10;

    // srtp_ssrc_type_t.
    public const int SsrcAnyInbound = 2;
    public const int SsrcAnyOutbound = 3;

    private static readonly Lazy<Exports> s_exports = new(Load);

    public static bool IsAvailable => NativeLibrary.TryLoad(SoName, out _);

    public static Exports Api => s_exports.Value;

    private static Exports Load()
    {
        nint library = NativeLibrary.Load(SoName);
        var exports = new Exports
        {
            Init = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "srtp_init"),
            Create = (delegate* unmanaged<nint*, SrtpPolicy*, int>)NativeLibrary.GetExport(library, "srtp_create"),
            Dealloc = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(library, "srtp_dealloc"),
            Protect = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(library, "srtp_protect"),
            Unprotect = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(library, "srtp_unprotect"),
            ProtectRtcp = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(library, "srtp_protect_rtcp"),
            UnprotectRtcp = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(library, "srtp_unprotect_rtcp"),
            SetRtpDefault = (delegate* unmanaged<SrtpCryptoPolicy*, void>)NativeLibrary.GetExport(library, "srtp_crypto_policy_set_rtp_default"),
            SetRtcpDefault = (delegate* unmanaged<SrtpCryptoPolicy*, void>)NativeLibrary.GetExport(library, "srtp_crypto_policy_set_rtcp_default"),
        };

        int status = exports.Init();
        if (status != StatusOk)
        {
            throw new InvalidOperationException($"srtp_init failed with {status}.");
        }

        return exports;
    }

    internal sealed class Exports
    {
        public required delegate* unmanaged<int> Init { get; init; }
        public required delegate* unmanaged<nint*, SrtpPolicy*, int> Create { get; init; }
        public required delegate* unmanaged<nint, int> Dealloc { get; init; }
        public required delegate* unmanaged<nint, byte*, int*, int> Protect { get; init; }
        public required delegate* unmanaged<nint, byte*, int*, int> Unprotect { get; init; }
        public required delegate* unmanaged<nint, byte*, int*, int> ProtectRtcp { get; init; }
        public required delegate* unmanaged<nint, byte*, int*, int> UnprotectRtcp { get; init; }
        public required delegate* unmanaged<SrtpCryptoPolicy*, void> SetRtpDefault { get; init; }
        public required delegate* unmanaged<SrtpCryptoPolicy*, void> SetRtcpDefault { get; init; }
    }

    /// <summary>srtp_crypto_policy_t: six 4-byte enum/int fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SrtpCryptoPolicy
    {
        public int CipherType;
        public int CipherKeyLength;
        public int AuthType;
        public int AuthKeyLength;
        public int AuthTagLength;
        public int SecurityServices;
    }

    /// <summary>
    /// srtp_policy_t on x86-64 (ENVIRONMENT.md, checked against the header by
    /// <c>LibSrtpLayoutTests</c>). <c>unsigned long</c> fields are <see cref="nuint"/>.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    internal struct SrtpPolicy
    {
        [FieldOffset(0)] public int SsrcType;
        [FieldOffset(4)] public uint SsrcValue;
        [FieldOffset(8)] public SrtpCryptoPolicy Rtp;
        [FieldOffset(32)] public SrtpCryptoPolicy Rtcp;
        [FieldOffset(56)] public byte* Key;
        [FieldOffset(64)] public nint Keys;
        [FieldOffset(72)] public nuint NumMasterKeys;
        [FieldOffset(80)] public nint DeprecatedEkt;
        [FieldOffset(88)] public nuint WindowSize;
        [FieldOffset(96)] public int AllowRepeatTx;
        [FieldOffset(104)] public nint EncryptedHeaderExtensions;
        [FieldOffset(112)] public int EncryptedHeaderExtensionCount;
        [FieldOffset(120)] public nint Next;
    }
}

/// <summary>An srtp_t; released with srtp_dealloc.</summary>
internal sealed unsafe class LibSrtpSessionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public LibSrtpSessionHandle()
        : base(ownsHandle: true)
    {
    }

    internal void Attach(nint session) => SetHandle(session);

    protected override bool ReleaseHandle() => LibSrtpNative.Api.Dealloc(handle) == LibSrtpNative.StatusOk;
}

/// <summary>One libsrtp session for AES_CM_128_HMAC_SHA1_80, either sending or receiving.</summary>
internal sealed unsafe class LibSrtpSession : IDisposable
{
    private readonly LibSrtpSessionHandle _handle;

    private LibSrtpSession(LibSrtpSessionHandle handle) => _handle = handle;

    /// <param name="masterKeyAndSalt">30 bytes: master key then master salt, as libsrtp wants them.</param>
    /// <param name="inbound">Receiving (ssrc_any_inbound) or sending (ssrc_any_outbound).</param>
    /// <param name="windowSize">Replay window in packets.</param>
    /// <param name="allowRepeatTx">Let the same sequence number be protected twice (NACK resends).</param>
    public static LibSrtpSession Create(ReadOnlySpan<byte> masterKeyAndSalt, bool inbound, int windowSize = 1024, bool allowRepeatTx = true)
    {
        LibSrtpNative.Exports api = LibSrtpNative.Api;
        var policy = default(LibSrtpNative.SrtpPolicy);
        api.SetRtpDefault(&policy.Rtp);
        api.SetRtcpDefault(&policy.Rtcp);
        policy.SsrcType = inbound ? LibSrtpNative.SsrcAnyInbound : LibSrtpNative.SsrcAnyOutbound;
        policy.WindowSize = (nuint)windowSize;
        policy.AllowRepeatTx = allowRepeatTx ? 1 : 0;

        var handle = new LibSrtpSessionHandle();
        byte[] key = masterKeyAndSalt.ToArray();
        fixed (byte* keyPointer = key)
        {
            // libsrtp copies the key into its stream state during srtp_create.
            policy.Key = keyPointer;
            nint session;
            int status = api.Create(&session, &policy);
            if (status != LibSrtpNative.StatusOk)
            {
                throw new InvalidOperationException($"srtp_create failed with {status}.");
            }

            handle.Attach(session);
        }

        return new LibSrtpSession(handle);
    }

    /// <summary>Protects <c>buffer[..length]</c> in place; returns the libsrtp status.</summary>
    public int Protect(byte[] buffer, ref int length) => Call(LibSrtpNative.Api.Protect, buffer, ref length);

    public int Unprotect(byte[] buffer, ref int length) => Call(LibSrtpNative.Api.Unprotect, buffer, ref length);

    public int ProtectRtcp(byte[] buffer, ref int length) => Call(LibSrtpNative.Api.ProtectRtcp, buffer, ref length);

    public int UnprotectRtcp(byte[] buffer, ref int length) => Call(LibSrtpNative.Api.UnprotectRtcp, buffer, ref length);

    private int Call(delegate* unmanaged<nint, byte*, int*, int> function, byte[] buffer, ref int length)
    {
        if (buffer.Length < length + LibSrtpNative.MaxTrailerLength)
        {
            throw new ArgumentException("libsrtp needs 144 spare bytes after the packet.", nameof(buffer));
        }

        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* data = buffer)
            {
                int len = length;
                int status = function(_handle.DangerousGetHandle(), data, &len);
                length = len;
                return status;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
