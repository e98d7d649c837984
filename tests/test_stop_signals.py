import os
import signal
import threading

from govwatch.stop_signals import StopSignals


def test_a_signal_before_the_wait_is_kept_and_ends_it():
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        stop = StopSignals([signal.SIGUSR1])
        os.kill(os.getpid(), signal.SIGUSR1)
        assert stop.wait() == signal.SIGUSR1
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_signals_during_the_wait_end_it():
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        stop = StopSignals([signal.SIGUSR1])
        sender = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGUSR1))
        sender.start()
        assert stop.wait() == signal.SIGUSR1
        sender.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
