"""moto_server for bench/emulator.ts, seeded with the benchmark's training jobs through boto3.

Usage: python3 bench/motoServer.py PORT JOB_COUNT. Seeding through boto3 against moto's in-process
mock is ~50x faster than through its HTTP server, which the benchmark then calls; the server shares
the mock's state. Prints "ready" once it serves; stops when stdin closes.
"""
import logging
import sys

import boto3
from moto import mock_aws
from moto.server import ThreadedMotoServer


def main() -> None:
    port, job_count = int(sys.argv[1]), int(sys.argv[2])
    mock = mock_aws()
    mock.start()
    client = boto3.client('sagemaker', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
    for index in range(job_count):
        # The same request as trainingJobRequest() in bench/emulator.ts.
        client.create_training_job(
            TrainingJobName=f'bench-job-{index}',
            RoleArn='arn:aws:iam::000000000000:role/SageMakerRole',
            AlgorithmSpecification={'TrainingImage': 'builtin/gpt:latest', 'TrainingInputMode': 'File'},
            OutputDataConfig={'S3OutputPath': 's3://training/output'},
            ResourceConfig={'InstanceType': 'ml.m5.large', 'InstanceCount': 1, 'VolumeSizeInGB': 10},
            StoppingCondition={'MaxRuntimeInSeconds': 3600},
        )
    # One log line per request would flood the benchmark's output.
    logging.getLogger('werkzeug').setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=port, verbose=False)
    server.start()
    print('ready', flush=True)
    sys.stdin.read()
    server.stop()


main()
