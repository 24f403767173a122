using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Placement;

/// <summary>
/// Where S3D-NeRF runs: a device (<c>cpu</c>, <c>cuda</c> = <c>cuda:0</c>, <c>cuda:N</c>) and an
/// <see cref="InferencePrecision"/> (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>). Parsing checks the spelling;
/// <see cref="EnsureAvailable()"/> checks this process can honour it (a CUDA build of the libtorch shim, enough GPUs,
/// reduced precision only on CUDA) and says what to do when it cannot.
/// </summary>
public sealed record ModelPlacement
{
    /// <summary>The names <see cref="Parse"/> accepts for each precision (the first is the canonical one).</summary>
    private static readonly (InferencePrecision Precision, string[] Names)[] PrecisionNames =
    [
        (InferencePrecision.Float32, ["fp32", "float32"]),
        (InferencePrecision.BFloat16, ["bf16", "bfloat16"]),
        (InferencePrecision.Float16, ["fp16", "float16", "half"]),
    ];

    /// <param name="device">CPU or a CUDA device; CUDA without an index means cuda:0.</param>
    /// <param name="precision">Element type of the layers (default fp32).</param>
    public ModelPlacement(Device device, InferencePrecision precision = InferencePrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), precision, "not an InferencePrecision");
        // libtorch reads index -1 as "the current device"; pin it so a placement names exactly one GPU.
        Device = device.type == DeviceType.CUDA ? new Device(DeviceType.CUDA, Math.Max(0, device.index)) : CPU;
        Precision = precision;
    }

    /// <summary>fp32 on the CPU: the default.</summary>
    public static ModelPlacement Cpu { get; } = new(CPU);

    public Device Device { get; }

    public InferencePrecision Precision { get; }

    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>The tensor element type of <see cref="Precision"/>.</summary>
    public ScalarType ComputeType => ToScalarType(Precision);

    /// <summary>
    /// Parses a device (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) and a precision (<c>fp32</c>/<c>float32</c>,
    /// <c>bf16</c>/<c>bfloat16</c>, <c>fp16</c>/<c>float16</c>/<c>half</c>), case-insensitive; null or empty = cpu / fp32.
    /// </summary>
    /// <exception cref="ArgumentException">Either is misspelt (both problems are named).</exception>
    public static ModelPlacement Parse(string? device, string? precision = null) =>
        TryParse(device, precision, out var placement, out var error) ? placement : throw new ArgumentException(error);

    /// <summary><see cref="Parse"/> without exceptions: false with every problem in <paramref name="error"/>.</summary>
    public static bool TryParse(string? device, string? precision, [NotNullWhen(true)] out ModelPlacement? placement, [NotNullWhen(false)] out string? error)
    {
        var problems = new List<string>();
        if (!TryParseDevice(device, out var parsedDevice))
        {
            problems.Add($"device '{device}' is not one of cpu, cuda, cuda:N (N = 0, 1, ...)");
        }
        if (!TryParsePrecision(precision, out var parsedPrecision))
        {
            problems.Add($"precision '{precision}' is not one of {string.Join(", ", PrecisionNames.Select(p => p.Names[0]))}");
        }
        if (problems.Count > 0)
        {
            (placement, error) = (null, string.Join("; ", problems));
            return false;
        }
        (placement, error) = (new ModelPlacement(parsedDevice!, parsedPrecision), null);
        return true;
    }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive, surrounding blanks ignored); null or empty = cpu.</summary>
    public static bool TryParseDevice(string? text, [NotNullWhen(true)] out Device? device)
    {
        var name = text?.Trim().ToLowerInvariant();
        device = name switch
        {
            null or "" or "cpu" => CPU,
            "cuda" => new Device(DeviceType.CUDA, 0),
            _ when name.StartsWith("cuda:", StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new Device(DeviceType.CUDA, index),
            _ => null,
        };
        return device is not null;
    }

    /// <summary>One of the precision names (case-insensitive); null or empty = fp32.</summary>
    public static bool TryParsePrecision(string? text, out InferencePrecision precision)
    {
        var name = text?.Trim().ToLowerInvariant();
        precision = InferencePrecision.Float32;
        if (string.IsNullOrEmpty(name)) return true;
        foreach (var (candidate, names) in PrecisionNames)
        {
            if (!names.Contains(name)) continue;
            precision = candidate;
            return true;
        }
        return false;
    }

    /// <summary>The canonical name: fp32, bf16 or fp16.</summary>
    public static string Name(InferencePrecision precision) => PrecisionNames.First(p => p.Precision == precision).Names[0];

    public static ScalarType ToScalarType(InferencePrecision precision) => precision switch
    {
        InferencePrecision.BFloat16 => ScalarType.BFloat16,
        InferencePrecision.Float16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };

    /// <summary>
    /// Checks this process can run the placement: CUDA must be available in the loaded libtorch shim with a GPU of that
    /// index, and reduced precision needs CUDA. Returns this placement.
    /// </summary>
    /// <exception cref="InvalidOperationException">It cannot; the message says what to change.</exception>
    public ModelPlacement EnsureAvailable() => EnsureAvailable(cuda.is_available() ? cuda.device_count() : 0);

    /// <summary><see cref="EnsureAvailable()"/> against a given number of usable CUDA devices (tests).</summary>
    internal ModelPlacement EnsureAvailable(int cudaDevices)
    {
        if (!IsCuda)
        {
            if (Precision != InferencePrecision.Float32)
            {
                throw new InvalidOperationException(
                    $"precision {Name(Precision)} needs a CUDA device: inference on the CPU runs in fp32 (set the precision to fp32, or the device to cuda)");
            }
            return this;
        }
        if (cudaDevices <= 0)
        {
            throw new InvalidOperationException(
                $"device {Device} was asked for, but CUDA is not available here: the libtorch that libRealtimeHeadTorchNative.so was built " +
                "against has no CUDA support, or this machine has no usable GPU. Use device cpu, or build the shim against a CUDA " +
                "libtorch (dotnet build -p:TorchCMakePrefixPath=$(python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)'), " +
                "or point RH_TORCH_NATIVE at such a build).");
        }
        if (Device.index >= cudaDevices)
        {
            throw new InvalidOperationException(
                $"device {Device} does not exist: this machine has {cudaDevices} CUDA device(s) (cuda:0{(cudaDevices > 1 ? $" to cuda:{cudaDevices - 1}" : "")})");
        }
        return this;
    }

    public override string ToString() => $"{Device} {Name(Precision)}";
}
