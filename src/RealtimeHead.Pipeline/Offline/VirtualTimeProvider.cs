namespace RealtimeHead.Pipeline.Offline;

/// <summary>
/// A clock that stands still until <see cref="AdvanceTo"/> moves it, firing the timers that fall due in order. It lets
/// <see cref="OfflinePipelineRunner"/> run the real pipeline as fast as the renderer allows: time only moves when every
/// stage has settled, so rendering, conversion and sinks cost no media time and the result does not depend on the speed
/// of the machine.
/// </summary>
internal sealed class VirtualTimeProvider : TimeProvider
{
    // Far from zero: code under the clock must not assume a particular start.
    private const long Origin = 1_000_000_000_000;
    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private readonly DateTimeOffset _epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _now = Origin;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _epoch + TimeSpan.FromTicks(_now - Origin);
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>The earliest due time of a live timer (a timestamp), or null when none is set.</summary>
    public long? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count == 0 ? null : _timers.Min(t => t.DueAt);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock to <paramref name="timestamp"/> (never back), firing each timer due by then, in due order, outside the lock.</summary>
    public void AdvanceTo(long timestamp)
    {
        while (true)
        {
            VirtualTimer? next;
            lock (_gate)
            {
                next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= timestamp && (next is null || timer.DueAt < next.DueAt))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _now = Math.Max(_now, timestamp);
                    return;
                }

                _now = Math.Max(_now, next.DueAt);
                if (next.Period > 0)
                {
                    next.DueAt = _now + next.Period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public long Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner._now + Math.Max(0, dueTime.Ticks);
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
