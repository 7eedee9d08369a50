"""DynamoDB storage through PynamoDB: the only package that imports pynamodb."""

from pynamodb.exceptions import PynamoDBException as StorageError

__all__ = ["StorageError"]
