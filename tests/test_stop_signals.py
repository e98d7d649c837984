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


def _signal_this_thread() -> None:
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)


def test_a_signal_delivered_to_another_thread_during_the_wait_ends_it():
    # The case that hung a scheduler blocked in Event.wait(): the kernel gave the signal to
    # a thread other than the main one.
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        stop = StopSignals([signal.SIGUSR1])
        sender = threading.Timer(0.3, _signal_this_thread)
        sender.start()
        assert stop.wait() == signal.SIGUSR1
        sender.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
