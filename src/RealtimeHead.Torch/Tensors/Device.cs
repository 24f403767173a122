namespace RealtimeHead.Torch;

/// <summary>Device kinds; values are c10::DeviceType's.</summary>
public enum DeviceType : sbyte
{
    CPU = 0,
    CUDA = 1,
}

public static partial class torch
{
    /// <summary>A device a tensor lives on: CPU, or a CUDA GPU by index.</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
        public Device(string description) : this(ParseType(description), ParseIndex(description))
        {
        }

        public override string ToString() => type switch
        {
            DeviceType.CPU => "cpu",
            _ => index < 0 ? "cuda" : $"cuda:{index}",
        };

        private static DeviceType ParseType(string description)
        {
            var name = description.Split(':')[0].Trim().ToLowerInvariant();
            return name switch
            {
                "cpu" => DeviceType.CPU,
                "cuda" => DeviceType.CUDA,
                _ => throw new ArgumentException($"unknown device '{description}': expected cpu, cuda or cuda:N", nameof(description)),
            };
        }

        private static int ParseIndex(string description)
        {
            var parts = description.Split(':');
            if (parts.Length == 1) return -1;
            return int.TryParse(parts[1], out var index) && index >= 0
                ? index
                : throw new ArgumentException($"bad device index in '{description}'", nameof(description));
        }
    }

    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA, 0);

    public static Device device(string description) => new(description);
}
