//! Writes to one row, a batch at a time: while a batch for a key is being written, the writes that
//! arrive for the same key wait, and go together as the next batch.
//!
//! Why: many requests changing one row otherwise take one commit each, in line behind the row's lock,
//! and each commit waits for its WAL flush with the lock held (on PostgreSQL they also park a pooled
//! connection each while they wait). Batched, the row costs one commit per batch, and no request holds
//! a connection just to wait for another. Nothing is acknowledged before its batch has committed.
//! A batch is written by a task of its own, on the HTTP worker whose request found the key free (the
//! server's main runtime, one thread for every worker's batches, cost a fifth of the throughput and
//! gave a p99 of 200 ms), so a request that goes away (its client hung up) strands nobody behind it,
//! and a fault in one batch ends only that batch. Left: on shutdown, a worker with no connection of its
//! own stops at once, and requests of other workers waiting on its batches are answered 500.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

/// The writes waiting for each key, in arrival order, with where each one's result goes.
type Queues<K, T, R> = Arc<Mutex<HashMap<K, Vec<(T, oneshot::Sender<R>)>>>>;

pub struct WriteBatches<K, T, R> {
    queues: Queues<K, T, R>,
}

impl<K, T, R> Default for WriteBatches<K, T, R> {
    fn default() -> Self {
        WriteBatches { queues: Arc::default() }
    }
}

/// The batch's task ended before it answered (it panicked, or the server is stopping).
#[derive(Debug, thiserror::Error)]
#[error("the batch this write was part of did not finish")]
pub struct Unfinished;

impl<K, T, R> WriteBatches<K, T, R>
where
    K: Eq + Hash + Clone + 'static,
    T: 'static,
    R: 'static,
{
    /// Writes `item` for `key`, with whatever else is waiting for that key when its turn comes.
    /// `write` gets a batch in arrival order and gives one result per item, in the same order; the
    /// first write of a key starts the task that writes its batches, and that task uses its `write`.
    pub async fn write<F, Fut>(&self, key: K, item: T, write: F) -> Result<R, Unfinished>
    where
        F: Fn(K, Vec<T>) -> Fut + 'static,
        Fut: Future<Output = Vec<R>> + 'static,
    {
        let (reply, result) = oneshot::channel();
        let start = {
            let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
            match queues.get_mut(&key) {
                Some(waiting) => {
                    waiting.push((item, reply));
                    false
                }
                None => {
                    queues.insert(key.clone(), vec![(item, reply)]);
                    true
                }
            }
        };
        if start {
            // Made before the task, so that the key is forgotten even if the task never runs.
            let forget = ForgetOnDrop { queues: self.queues.clone(), key: Some(key.clone()) };
            actix_web::rt::spawn(write_batches(self.queues.clone(), key, write, forget));
        }
        result.await.map_err(|_| Unfinished)
    }
}

/// Writes `key`'s batches until none is waiting, then forgets the key. Should the task end early,
/// `forget` forgets the key with its waiters (who learn it), rather than leave it looking busy with
/// nobody to write it.
async fn write_batches<K, T, R, F, Fut>(queues: Queues<K, T, R>, key: K, write: F, mut forget: ForgetOnDrop<K, T, R>)
where
    K: Eq + Hash + Clone,
    F: Fn(K, Vec<T>) -> Fut,
    Fut: Future<Output = Vec<R>>,
{
    loop {
        let batch = {
            let mut queues = queues.lock().unwrap_or_else(PoisonError::into_inner);
            match queues.get_mut(&key) {
                Some(waiting) if !waiting.is_empty() => std::mem::take(waiting),
                _ => {
                    queues.remove(&key);
                    forget.key = None;
                    return;
                }
            }
        };
        let (items, replies): (Vec<T>, Vec<_>) = batch.into_iter().unzip();
        let results = write(key.clone(), items).await;
        debug_assert_eq!(results.len(), replies.len(), "one result per write");
        for (reply, result) in replies.into_iter().zip(results) {
            // A requester that went away no longer waits for its result.
            let _ = reply.send(result);
        }
    }
}

struct ForgetOnDrop<K: Eq + Hash, T, R> {
    queues: Queues<K, T, R>,
    key: Option<K>,
}

impl<K: Eq + Hash, T, R> Drop for ForgetOnDrop<K, T, R> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.queues.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[actix_web::test]
    async fn writes_that_arrive_while_one_is_under_way_go_together_as_the_next_batch() {
        let batches: WriteBatches<&str, u32, u32> = WriteBatches::default();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let started = Arc::new(AtomicBool::new(false));
        let (open, opened) = oneshot::channel::<()>();
        let gate = Arc::new(Mutex::new(Some(opened)));
        let write = {
            let (seen, started) = (seen.clone(), started.clone());
            move |_key, items: Vec<u32>| {
                let (seen, started, gate) = (seen.clone(), started.clone(), gate.clone());
                async move {
                    // The first batch is under way until the gate opens.
                    let opened = gate.lock().unwrap().take();
                    if let Some(opened) = opened {
                        started.store(true, Ordering::SeqCst);
                        let _ = opened.await;
                    }
                    seen.lock().unwrap().push(items.clone());
                    items.iter().map(|n| n * 10).collect()
                }
            }
        };
        let first = batches.write("row", 1, write.clone());
        let later = async {
            while !started.load(Ordering::SeqCst) {
                actix_web::rt::task::yield_now().await;
            }
            let second = batches.write("row", 2, write.clone());
            let third = batches.write("row", 3, write.clone());
            let other = batches.write("other row", 4, write.clone());
            let release = async {
                actix_web::rt::task::yield_now().await;
                let _ = open.send(());
            };
            futures_util::join!(second, third, other, release)
        };
        let (first, (second, third, other, ())) = futures_util::join!(first, later);
        assert_eq!((first.unwrap(), second.unwrap(), third.unwrap(), other.unwrap()), (10, 20, 30, 40));
        let seen = seen.lock().unwrap().clone();
        let row: Vec<_> = seen.iter().filter(|batch| !batch.contains(&4)).cloned().collect();
        assert_eq!(row, [vec![1], vec![2, 3]], "2 and 3 waited for 1, then went together");
        assert!(seen.contains(&vec![4]), "another key's write waits for nobody");
        assert!(batches.queues.lock().unwrap().is_empty(), "every key is forgotten once written");
    }

    #[actix_web::test]
    async fn a_batch_that_fails_to_finish_tells_its_writers_and_frees_the_key() {
        let batches: WriteBatches<&str, u32, u32> = WriteBatches::default();
        let failing = |_key, _items: Vec<u32>| async { panic!("the write failed") };
        assert!(batches.write("row", 1, failing).await.is_err());
        let working = |_key, items: Vec<u32>| async move { items };
        assert_eq!(batches.write("row", 2, working).await.unwrap(), 2, "the key is written again");
    }
}
